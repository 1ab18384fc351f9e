using System.Security.Cryptography;
using System.Text;
using Socle.Platform.Journal;

namespace Socle.Platform.Tests;

/// <summary>Verification of exports: every kind of damage is found, named and located.</summary>
public class JournalVerifierTests
{
    /// <summary>An export of <paramref name="count"/> events on stream "audit", one second apart.</summary>
    private static List<string> ExportLines(int count = 10, string stream = "audit")
    {
        var events = new List<JournalEvent>();
        JournalEvent? parent = null;
        for (var i = 0; i < count; i++)
        {
            var time = new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero).AddSeconds(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
            parent = JournalEvent.Create(stream, parent, i == 0 ? "created" : "changed", time, $$"""{"step":{{i}},"note":"étape {{i}}"}""");
            events.Add(parent);
        }
        return [.. events.Select(JournalExport.Line), JournalExport.Trailer(events.Count, [events[^1]])];
    }

    private static JournalVerification Verify(IEnumerable<string> lines, bool finalNewline = true, IReadOnlyDictionary<string, string>? heads = null) =>
        JournalVerifier.Verify(Encoding.UTF8.GetBytes(string.Join("\n", lines) + (finalNewline ? "\n" : "")), heads);

    [Fact]
    public void SHA256_matches_the_FIPS_180_2_test_vector()
    {
        // FIPS 180-2, appendix B.1: SHA-256("abc")
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", JournalEvent.Sha256Hex("abc"u8));
    }

    [Fact]
    public void The_event_hash_is_SHA256_of_the_documented_header()
    {
        var e = JournalEvent.Create("audit", null, "created", "2026-02-01T08:00:00.000000Z", """{"a":1}""");
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData("""{"a":1}"""u8));
        var header = $$"""{"stream":"audit","height":0,"parent":null,"type":"created","time":"2026-02-01T08:00:00.000000Z","payload":"{{payloadHash}}"}""";
        Assert.Equal(payloadHash, e.PayloadHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header))), e.Hash);

        var next = JournalEvent.Create("audit", e, "changed", "2026-02-01T08:00:01.000000Z", "[]");
        var header2 = $$"""{"stream":"audit","height":1,"parent":"{{e.Hash}}","type":"changed","time":"2026-02-01T08:00:01.000000Z","payload":"{{Convert.ToHexStringLower(SHA256.HashData("[]"u8))}}"}""";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header2))), next.Hash);
    }

    [Fact]
    public void An_intact_export_verifies()
    {
        var result = Verify(ExportLines());
        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(10, result.Events);
        Assert.Equal(9, Assert.Single(result.Heads).Height);
    }

    [Fact]
    public void A_flipped_byte_in_a_payload_is_located()
    {
        var lines = ExportLines();
        lines[4] = lines[4].Replace("étape 4", "étape 5", StringComparison.Ordinal);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.PayloadMismatch, p.Kind);
        Assert.Equal(4, p.Height);
        Assert.Equal(5, p.Line);
    }

    [Theory]
    [InlineData("\"type\":\"changed\"", "\"type\":\"chanced\"")]
    [InlineData("\"time\":\"2026-02-01T08:00:06", "\"time\":\"2026-02-01T08:00:07")]
    public void A_flipped_byte_in_a_header_field_is_located(string from, string to)
    {
        var lines = ExportLines();
        lines[6] = lines[6].Replace(from, to, StringComparison.Ordinal);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.HashMismatch, p.Kind);
        Assert.Equal(6, p.Height);
    }

    [Fact]
    public void A_recomputed_hash_after_an_edit_breaks_the_link_to_the_next_event()
    {
        // A forger who edits event 3 and recomputes its hashes still cannot make event 4 point at it.
        var lines = ExportLines();
        var original = JournalVerifierTestsHelpers.Parse(lines[2]);
        var forged = JournalEvent.Create("audit", original, "changed", "2026-02-01T08:00:03.000000Z", """{"step":3,"note":"forged"}""");
        lines[3] = JournalExport.Line(forged);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.ParentMismatch, p.Kind);
        Assert.Equal(4, p.Height);
    }

    [Fact]
    public void A_dropped_event_is_named()
    {
        var lines = ExportLines();
        lines.RemoveAt(5);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.Missing, p.Kind);
        Assert.Contains("audit@5 is missing", p.Message);
    }

    [Fact]
    public void A_duplicated_event_is_named()
    {
        var lines = ExportLines();
        lines.Insert(4, lines[3]);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.Duplicated, p.Kind);
        Assert.Equal(3, p.Height);
        Assert.Contains("appears twice", p.Message);
    }

    [Fact]
    public void Reordered_events_are_named()
    {
        var lines = ExportLines();
        (lines[6], lines[7]) = (lines[7], lines[6]);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.Reordered, p.Kind);
        Assert.Equal(7, p.Height);
        Assert.Equal(7, p.Line);
    }

    [Fact]
    public void A_truncated_last_line_is_named()
    {
        var lines = ExportLines();
        var text = string.Join("\n", lines);
        var cut = text[..(text.Length - 40)];
        var p = JournalVerifier.Verify(Encoding.UTF8.GetBytes(cut)).Problem!;
        Assert.Equal(JournalProblemKind.Truncated, p.Kind);
        Assert.Equal(11, p.Line);
    }

    [Fact]
    public void Events_cut_off_the_end_with_the_trailer_are_named()
    {
        var lines = ExportLines();
        lines.RemoveRange(8, 3); // events 8 and 9 and the trailer
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.Truncated, p.Kind);
        Assert.Contains("after audit@7", p.Message);
    }

    [Fact]
    public void Events_cut_off_before_an_intact_trailer_are_named()
    {
        var lines = ExportLines();
        lines.RemoveAt(9);
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.TrailerMismatch, p.Kind);
        Assert.Contains("announces 10 events but the export holds 9", p.Message);
    }

    [Fact]
    public void A_forged_trailer_is_caught_by_a_head_published_elsewhere()
    {
        var full = ExportLines();
        var publishedHead = JournalVerifierTestsHelpers.Parse(full[9]).Hash;
        var shortened = ExportLines(9); // a consistent export that stops one event early
        Assert.True(Verify(shortened).Ok);
        var p = Verify(shortened, heads: new Dictionary<string, string> { ["audit"] = publishedHead }).Problem!;
        Assert.Equal(JournalProblemKind.HeadMismatch, p.Kind);
        Assert.True(Verify(full, heads: new Dictionary<string, string> { ["audit"] = publishedHead }).Ok);
    }

    [Fact]
    public void A_line_that_is_not_json_is_named()
    {
        var lines = ExportLines();
        lines[2] = "{\"stream\":\"audit\",";
        var p = Verify(lines).Problem!;
        Assert.Equal(JournalProblemKind.InvalidLine, p.Kind);
        Assert.Equal(3, p.Line);
    }

    [Fact]
    public void Streams_are_checked_independently_when_interleaved()
    {
        var a = ExportLines(5, "a");
        var b = ExportLines(5, "b");
        var interleaved = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            interleaved.Add(a[i]);
            interleaved.Add(b[i]);
        }
        var heads = new[] { JournalVerifierTestsHelpers.Parse(a[4]), JournalVerifierTestsHelpers.Parse(b[4]) };
        interleaved.Add(JournalExport.Trailer(10, heads));
        var result = Verify(interleaved);
        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(["a", "b"], result.Heads.Select(h => h.Stream));
    }

    [Fact]
    public void A_large_export_verifies_across_batches()
    {
        var result = Verify(ExportLines(40_000));
        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(40_000, result.Events);
    }
}

internal static class JournalVerifierTestsHelpers
{
    /// <summary>Reads an export line back into an event (tests only; the verifier never re-serialises).</summary>
    public static JournalEvent Parse(string line)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new JournalEvent(
            r.GetProperty("stream").GetString()!, r.GetProperty("height").GetInt64(),
            r.GetProperty("parent").ValueKind == System.Text.Json.JsonValueKind.Null ? null : r.GetProperty("parent").GetString(),
            r.GetProperty("type").GetString()!, r.GetProperty("time").GetString()!, r.GetProperty("payload_hash").GetString()!,
            r.GetProperty("payload").GetRawText(), r.GetProperty("hash").GetString()!);
    }
}
