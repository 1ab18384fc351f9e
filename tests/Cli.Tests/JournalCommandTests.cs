using System.Text.Json;
using Socle.Platform.Journal;

namespace Socle.Cli.Tests;

public class JournalCommandTests
{
    private static string WriteExport(Func<List<string>, List<string>>? tamper = null)
    {
        var events = new List<JournalEvent>();
        JournalEvent? parent = null;
        for (var i = 0; i < 6; i++)
        {
            parent = JournalEvent.Create("audit/demo", parent, "step", $"2026-03-01T10:00:0{i}.000000Z", $$"""{"i":{{i}}}""");
            events.Add(parent);
        }
        var lines = events.Select(JournalExport.Line).Append(JournalExport.Trailer(events.Count, [events[^1]])).ToList();
        lines = tamper?.Invoke(lines) ?? lines;
        var path = Path.Combine(Directory.CreateTempSubdirectory("socle-cli-").FullName, "journal.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    [Fact]
    public async Task A_good_export_verifies_with_exit_0_and_a_summary()
    {
        var result = await CliRunner.RunAsync("journal", "verify", WriteExport());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("OK: 6 events in 1 stream(s)", result.StdOut);
        Assert.Contains("audit/demo: height 5", result.StdOut);
    }

    [Fact]
    public async Task A_tampered_export_fails_naming_the_bad_height()
    {
        var path = WriteExport(lines => { lines[3] = lines[3].Replace("{\"i\":3}", "{\"i\":9}", StringComparison.Ordinal); return lines; });
        var result = await CliRunner.RunAsync("journal", "verify", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("audit/demo height 3", result.StdErr);
        Assert.Contains("PayloadMismatch", result.StdErr);
    }

    [Fact]
    public async Task With_json_the_result_is_a_json_document_on_stdout()
    {
        var path = WriteExport(lines => { lines.RemoveAt(2); return lines; });
        var result = await CliRunner.RunAsync("journal", "verify", path, "--json");
        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.StdOut);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        var problem = doc.RootElement.GetProperty("problem");
        Assert.Equal("missing", problem.GetProperty("kind").GetString());
        Assert.Equal(2, problem.GetProperty("height").GetInt64());
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var result = await CliRunner.RunAsync("journal", "verify", "/no/such/file.jsonl");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("/no/such/file.jsonl was not found", result.StdErr);
    }

    [Fact]
    public async Task An_expected_head_that_does_not_match_fails()
    {
        var result = await CliRunner.RunAsync("journal", "verify", WriteExport(), "--expect-head", "audit/demo=" + new string('0', 64));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("HeadMismatch", result.StdErr);
    }

    [Fact]
    public async Task The_real_binary_exports_and_verifies_a_journal_it_stored()
    {
        var dir = Directory.CreateTempSubdirectory("socle-cli-proc-").FullName;
        var db = $"Data Source={Path.Combine(dir, "socle.db")}";
        var migrate = await CliRunner.RunProcessAsync(dir, "db", "migrate", "--db", db, "--json");
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("platform/0001_journal", JsonDocument.Parse(migrate.StdOut).RootElement.GetProperty("applied")[0].GetString());

        var storage = new Platform.Storage.Database(db);
        var journal = new Platform.Journal.Journal(storage, TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            await journal.AppendAsync("demo", "tick", $$"""{"i":{{i}}}""", TestContext.Current.CancellationToken);
        }

        var export = await CliRunner.RunProcessAsync(dir, "journal", "export", "--db", db, "--out", "j.jsonl");
        Assert.Equal(0, export.ExitCode);
        var verify = await CliRunner.RunProcessAsync(dir, "journal", "verify", "j.jsonl");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("OK: 3 events", verify.StdOut);

        var text = File.ReadAllText(Path.Combine(dir, "j.jsonl")).Replace("{\"i\":1}", "{\"i\":7}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "bad.jsonl"), text);
        var bad = await CliRunner.RunProcessAsync(dir, "journal", "verify", "bad.jsonl");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("demo height 1", bad.StdErr);
    }

    [Fact]
    public async Task Version_and_help_answer()
    {
        var version = await CliRunner.RunProcessAsync(Path.GetTempPath(), "--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StdOut.Trim());
        var help = await CliRunner.RunProcessAsync(Path.GetTempPath(), "--help");
        Assert.Contains("journal", help.StdOut);
        Assert.Contains("serve", help.StdOut);
    }
}
