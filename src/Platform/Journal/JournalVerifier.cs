using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Socle.Platform.Journal;

/// <summary>The kinds of damage a verification can find.</summary>
public enum JournalProblemKind
{
    InvalidLine,
    PayloadMismatch,
    HashMismatch,
    ParentMismatch,
    Missing,
    Duplicated,
    Reordered,
    Truncated,
    TrailerMismatch,
    HeadMismatch,
}

/// <summary>The first problem found: where (line, stream, height) and why.</summary>
public sealed record JournalProblem(JournalProblemKind Kind, long Line, string? Stream, long? Height, string Message);

/// <summary>The last event of a stream, as the verification found it.</summary>
public sealed record JournalHead(string Stream, long Height, string Hash);

/// <summary>The outcome of verifying an export.</summary>
public sealed record JournalVerification(long Events, IReadOnlyList<JournalHead> Heads, JournalProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// Verifies a journal export (see <see cref="JournalExport"/>) from its bytes alone: every payload hashes to its
/// <c>payload_hash</c>, every header hashes to its <c>hash</c>, heights of each stream run 0, 1, 2, … and each event names
/// its predecessor's hash as parent, and the trailer matches what came before it. It reports the first bad event and
/// whether it was altered, dropped, duplicated, reordered or cut off.
/// </summary>
/// <remarks>
/// Hash checks are independent per line and run on every core; the chain checks then run in order.
/// The cost is dominated by SHA-256 over the payloads and headers.
/// </remarks>
public static class JournalVerifier
{
    private const int BatchLines = 16_384;

    public static JournalVerification Verify(ReadOnlyMemory<byte> export, IReadOnlyDictionary<string, string>? expectedHeads = null, IProgress<long>? progress = null)
    {
        var lines = SplitLines(export.Span);
        var state = new Dictionary<string, StreamState>(StringComparer.Ordinal);
        var headsOrder = new List<StreamState>();
        long events = 0;
        Trailer? trailer = null;
        StreamState? current = null;
        var parsed = new Parsed[Math.Min(BatchLines, Math.Max(1, lines.Count))];

        for (var batchStart = 0; batchStart < lines.Count; batchStart += BatchLines)
        {
            var count = Math.Min(BatchLines, lines.Count - batchStart);
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                parsed[i] = Parse(export.Span, lines[batchStart + i], hash: true));

            for (var i = 0; i < count; i++)
            {
                var lineIndex = batchStart + i;
                var lineNo = lineIndex + 1L;
                var p = parsed[i];
                if (trailer is not null)
                {
                    return Fail(JournalProblemKind.InvalidLine, lineNo, null, null, "a line follows the trailer; the export was altered or concatenated");
                }
                if (p.Trailer is not null)
                {
                    trailer = p.Trailer;
                    continue;
                }
                var span = export.Span;
                if (p.Error is not null)
                {
                    var truncated = lineNo == lines.Count && !EndsWithNewline(span);
                    var errorStream = p.Stream.Length > 0 ? Encoding.UTF8.GetString(span.Slice(p.Stream.Start, p.Stream.Length)) : null;
                    return Fail(truncated ? JournalProblemKind.Truncated : p.ErrorKind, lineNo, errorStream, p.Height >= 0 ? p.Height : null,
                        truncated ? $"the last line is incomplete ({p.Error}); the export was truncated" : p.Error);
                }

                var streamBytes = span.Slice(p.Stream.Start, p.Stream.Length);
                if (current is null || !streamBytes.SequenceEqual(span.Slice(current.NameAt.Start, current.NameAt.Length)))
                {
                    var name = Encoding.UTF8.GetString(streamBytes);
                    if (!state.TryGetValue(name, out current))
                    {
                        current = new StreamState(name, p.Stream);
                        state[name] = current;
                        headsOrder.Add(current);
                    }
                }
                var s = current;
                if (p.Height != s.NextHeight)
                {
                    var (kind, message) = Classify(export.Span, lines, lineIndex, s, p);
                    return Fail(kind, lineNo, s.Name, kind == JournalProblemKind.Missing ? s.NextHeight : p.Height, message);
                }
                var parentOk = p.Parent.Length == 0
                    ? s.LastHash.Length == 0
                    : s.LastHash.Length > 0 && span.Slice(p.Parent.Start, p.Parent.Length).SequenceEqual(span.Slice(s.LastHash.Start, s.LastHash.Length));
                if (!parentOk)
                {
                    var parent = p.Parent.Length == 0 ? null : Encoding.ASCII.GetString(span.Slice(p.Parent.Start, p.Parent.Length));
                    return Fail(JournalProblemKind.ParentMismatch, lineNo, s.Name, p.Height,
                        $"event {s.Name}@{p.Height} names parent {Short(parent)} but the event before it has hash {Short(s.LastHashText(span))}");
                }
                s.NextHeight++;
                s.LastHash = p.Hash;
                events++;
            }
            progress?.Report(events);
        }

        var heads = Heads();
        var lastLine = (long)lines.Count;
        if (trailer is null)
        {
            var last = heads.Count > 0 ? $" after {heads[^1].Stream}@{heads[^1].Height}" : "";
            return Fail(JournalProblemKind.Truncated, lastLine, null, null, $"the export ends without its trailer{last}; it was truncated");
        }
        if (trailer.Events != events)
        {
            return Fail(JournalProblemKind.TrailerMismatch, lastLine, null, null, $"the trailer announces {trailer.Events} events but the export holds {events}; events were cut off or added");
        }
        foreach (var head in trailer.Heads)
        {
            var found = heads.FirstOrDefault(h => h.Stream == head.Stream);
            if (found is null || found.Height != head.Height || found.Hash != head.Hash)
            {
                var actual = found is null ? "no event" : $"height {found.Height}, hash {Short(found.Hash)}";
                return Fail(JournalProblemKind.TrailerMismatch, lastLine, head.Stream, head.Height,
                    $"the trailer says stream {head.Stream} ends at height {head.Height} with hash {Short(head.Hash)}, but the export has {actual}; events were cut off");
            }
        }
        if (trailer.Heads.Count != heads.Count)
        {
            return Fail(JournalProblemKind.TrailerMismatch, lastLine, null, null, "the trailer does not list every stream of the export");
        }
        if (expectedHeads is not null)
        {
            foreach (var (stream, hash) in expectedHeads)
            {
                var found = heads.FirstOrDefault(h => h.Stream == stream || (expectedHeads.Count == 1 && stream.Length == 0));
                if (found is null || !string.Equals(found.Hash, hash, StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(JournalProblemKind.HeadMismatch, lastLine, found?.Stream ?? stream, found?.Height,
                        $"the export ends at {(found is null ? "no event" : $"{found.Stream}@{found.Height} with hash {Short(found.Hash)}")}, not at the expected head {Short(hash)}; it was truncated or rewritten");
                }
            }
        }
        return new JournalVerification(events, heads, null);

        List<JournalHead> Heads() =>
            headsOrder.Select(h => new JournalHead(h.Name, h.NextHeight - 1, h.LastHashText(export.Span) ?? "")).ToList();

        JournalVerification Fail(JournalProblemKind kind, long line, string? stream, long? height, string message) =>
            new(events, Heads(), new JournalProblem(kind, line, stream, height, message));
    }

    /// <summary>An event arrived at the wrong height: was one dropped, repeated, or moved?</summary>
    private static (JournalProblemKind, string) Classify(ReadOnlySpan<byte> export, List<(int Start, int Length)> lines, int at, StreamState s, Parsed p)
    {
        if (p.Height < s.NextHeight)
        {
            // Heights 0..next-1 were all seen: this one is a repeat. Same bytes as the first, or a fork?
            var hash = export.Slice(p.Hash.Start, p.Hash.Length);
            for (var j = 0; j < at; j++)
            {
                var q = Parse(export, lines[j], hash: false);
                if (q.Error is null && q.Trailer is null && q.Height == p.Height && Same(export, q.Stream, s.NameAt))
                {
                    return export.Slice(q.Hash.Start, q.Hash.Length).SequenceEqual(hash)
                        ? (JournalProblemKind.Duplicated, $"event {s.Name}@{p.Height} appears twice (duplicated)")
                        : (JournalProblemKind.Duplicated, $"a second, different event claims {s.Name}@{p.Height} (the chain forks)");
                }
            }
            return (JournalProblemKind.Duplicated, $"event {s.Name}@{p.Height} appears twice (duplicated)");
        }
        for (var j = at + 1; j < lines.Count; j++)
        {
            var q = Parse(export, lines[j], hash: false);
            if (q.Error is null && q.Trailer is null && q.Height == s.NextHeight && Same(export, q.Stream, s.NameAt))
            {
                return (JournalProblemKind.Reordered, $"event {s.Name}@{p.Height} comes before {s.Name}@{s.NextHeight}: events were reordered");
            }
        }
        return (JournalProblemKind.Missing, $"event {s.Name}@{s.NextHeight} is missing (the next event is {s.Name}@{p.Height}): it was dropped");
    }

    private static bool Same(ReadOnlySpan<byte> export, Slice a, Slice b) =>
        export.Slice(a.Start, a.Length).SequenceEqual(export.Slice(b.Start, b.Length));

    private static bool EndsWithNewline(ReadOnlySpan<byte> bytes) => bytes.Length > 0 && bytes[^1] == (byte)'\n';

    private static List<(int Start, int Length)> SplitLines(ReadOnlySpan<byte> span)
    {
        var result = new List<(int, int)>(span.Length / 256 + 1);
        var start = 0;
        while (start < span.Length)
        {
            var nl = span[start..].IndexOf((byte)'\n');
            var end = nl < 0 ? span.Length : start + nl;
            var length = end - start;
            if (length > 0 && span[end - 1] == (byte)'\r')
            {
                length--;
            }
            if (length > 0)
            {
                result.Add((start, length));
            }
            start = end + 1;
        }
        return result;
    }

    private static string Short(string? hash) => hash is null ? "null" : hash.Length > 12 ? hash[..12] + "…" : hash;

    /// <summary>A position in the export buffer.</summary>
    private readonly record struct Slice(int Start, int Length);

    private sealed class StreamState(string name, Slice nameAt)
    {
        public string Name { get; } = name;
        public Slice NameAt { get; } = nameAt;
        public long NextHeight;
        public Slice LastHash;

        public string? LastHashText(ReadOnlySpan<byte> export) =>
            LastHash.Length == 0 ? null : Encoding.ASCII.GetString(export.Slice(LastHash.Start, LastHash.Length));
    }

    private sealed record Trailer(long Events, IReadOnlyList<JournalHead> Heads);

    /// <summary>One line, read: where its fields lie in the export, or why it could not be read.</summary>
    private struct Parsed
    {
        public Slice Stream;
        public Slice Parent;
        public Slice Hash;
        public long Height;
        public Trailer? Trailer;
        public string? Error;
        public JournalProblemKind ErrorKind;
    }

    /// <summary>Reads one line; with <paramref name="hash"/>, also checks its payload hash and its event hash. Allocates only on failure.</summary>
    private static Parsed Parse(ReadOnlySpan<byte> export, (int Start, int Length) at, bool hash)
    {
        var line = export.Slice(at.Start, at.Length);
        var p = new Parsed { Height = -1, ErrorKind = JournalProblemKind.InvalidLine };
        Range stream = default, type = default, time = default, payloadHash = default, eventHash = default, parent = default, payload = default;
        var seen = 0;
        const int HasStream = 1, HasHeight = 2, HasParent = 4, HasType = 8, HasTime = 16, HasPayloadHash = 32, HasHash = 64, HasPayload = 128;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                p.Error = "not a JSON object";
                return p;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("trailer"u8))
                {
                    using var doc = JsonDocument.ParseValue(ref reader);
                    try
                    {
                        p.Trailer = ReadTrailer(doc.RootElement);
                    }
                    catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                    {
                        p.Error = "the trailer is malformed";
                    }
                    return p;
                }
                if (reader.ValueTextEquals("payload"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    payload = new Range(start, (int)reader.BytesConsumed);
                    seen |= HasPayload;
                }
                else if (reader.ValueTextEquals("stream"u8)) { reader.Read(); stream = Raw(ref reader); seen |= HasStream; }
                else if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = Raw(ref reader); seen |= HasType; }
                else if (reader.ValueTextEquals("time"u8)) { reader.Read(); time = Raw(ref reader); seen |= HasTime; }
                else if (reader.ValueTextEquals("payload_hash"u8)) { reader.Read(); payloadHash = Raw(ref reader); seen |= HasPayloadHash; }
                else if (reader.ValueTextEquals("hash"u8)) { reader.Read(); eventHash = Raw(ref reader); seen |= HasHash; }
                else if (reader.ValueTextEquals("parent"u8))
                {
                    reader.Read();
                    parent = reader.TokenType == JsonTokenType.Null ? default : Raw(ref reader);
                    seen |= HasParent;
                }
                else if (reader.ValueTextEquals("height"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out p.Height) || p.Height < 0)
                    {
                        p.Height = -1;
                        p.Error = "height is not a non-negative integer";
                        return p;
                    }
                    seen |= HasHeight;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != line.Length)
            {
                p.Error = "not a complete JSON object";
                return p;
            }
        }
        catch (JsonException e)
        {
            p.Error = $"not valid JSON ({e.Message.Split('.')[0]})";
            return p;
        }
        catch (InvalidOperationException e)
        {
            p.Error = $"not valid JSON ({e.Message.Split('.')[0]})";
            return p;
        }

        if (seen != 255)
        {
            string[] names = ["stream", "height", "parent", "type", "time", "payload_hash", "hash", "payload"];
            p.Error = $"missing field(s): {string.Join(", ", names.Where((_, i) => (seen & (1 << i)) == 0))}";
            return p;
        }
        p.Stream = Absolute(at.Start, line, stream);
        p.Parent = Absolute(at.Start, line, parent);
        p.Hash = Absolute(at.Start, line, eventHash);
        if (!ValidName(line[stream]) || !ValidName(line[type]))
        {
            p.Error = "stream or type is not a valid name";
            return p;
        }
        if (!hash)
        {
            return p;
        }

        Span<byte> digest = stackalloc byte[32];
        Span<byte> hex = stackalloc byte[64];
        SHA256.HashData(line[payload], digest);
        ToHex(digest, hex);
        if (!hex.SequenceEqual(line[payloadHash]))
        {
            p.ErrorKind = JournalProblemKind.PayloadMismatch;
            p.Error = $"the payload of {Encoding.UTF8.GetString(line[stream])}@{p.Height} does not hash to its payload_hash: the payload was altered";
            return p;
        }
        var headerLength = 96 + line[stream].Length + line[type].Length + line[time].Length + line[parent].Length + line[payloadHash].Length + 20;
        Span<byte> header = headerLength <= 2048 ? stackalloc byte[headerLength] : new byte[headerLength];
        var length = JournalEvent.WriteHeader(header, line[stream], p.Height, line[parent], line[type], line[time], line[payloadHash]);
        SHA256.HashData(header[..length], digest);
        ToHex(digest, hex);
        if (!hex.SequenceEqual(line[eventHash]))
        {
            p.ErrorKind = JournalProblemKind.HashMismatch;
            p.Error = $"the header of {Encoding.UTF8.GetString(line[stream])}@{p.Height} does not hash to its hash: the event was altered";
        }
        return p;
    }

    private static Slice Absolute(int lineStart, ReadOnlySpan<byte> line, Range r)
    {
        var (offset, length) = r.GetOffsetAndLength(line.Length);
        return new Slice(lineStart + offset, length);
    }

    /// <summary>The name rule of <see cref="JournalEvent.IsValidName"/>, on bytes.</summary>
    private static bool ValidName(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > 200)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                || (i > 0 && c is (byte)'.' or (byte)'_' or (byte)':' or (byte)'/' or (byte)'-');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Where an unescaped string value lies in the line (after its opening quote).</summary>
    private static Range Raw(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            throw new JsonException("a field holds an unexpected value.");
        }
        var start = (int)reader.TokenStartIndex + 1;
        return new Range(start, start + reader.ValueSpan.Length);
    }

    private static Trailer ReadTrailer(JsonElement e)
    {
        var events = e.GetProperty("events").GetInt64();
        var heads = e.GetProperty("heads").EnumerateArray()
            .Select(h => new JournalHead(h.GetProperty("stream").GetString()!, h.GetProperty("height").GetInt64(), h.GetProperty("hash").GetString()!))
            .ToList();
        return new Trailer(events, heads);
    }

    private static void ToHex(ReadOnlySpan<byte> bytes, Span<byte> hex)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = digits[bytes[i] >> 4];
            hex[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }
    }
}
