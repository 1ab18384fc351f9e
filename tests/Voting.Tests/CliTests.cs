using System.Text.Json;
using Socle.Modules.Voting.Records.Board;

namespace Socle.Voting.Tests;

/// <summary><c>socle vote</c>: verify any board; run a whole election from files, as Belenios' tool does.</summary>
public class CliTests
{
    private const string Template = """{"description":"Élection des représentants (test)","name":"CSE 2026","questions":[{"answers":["Liste A","Liste B","Liste C"],"blank":true,"min":1,"max":1,"question":"Quelle liste ?"},{"answers":["Oui","Non"],"min":0,"max":1,"question":"Référendum"}]}""";

    [Fact]
    public async Task Verify_prints_a_summary_and_json_and_exits_zero_for_a_Belenios_board()
    {
        var human = await Cli.OkAsync("vote", "verify", ReferenceElections.Folder(ReferenceElections.Ed25519));
        Assert.Contains("OK: RQAkXtFadUmbNp.bel", human.StdOut);
        Assert.Contains("10 ballot(s) on the board, 10 counted", human.StdOut);
        Assert.Contains("Bob", human.StdOut);

        var json = await Cli.OkAsync("vote", "verify", ReferenceElections.Board(ReferenceElections.Ed25519), "--json");
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("Published", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("result")[0].GetProperty("counts")[1].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Verify_exits_one_naming_the_event_and_the_reason()
    {
        var editor = new BoardEditor(ReferenceElections.Board(ReferenceElections.Ed25519));
        var step = editor.Ballots.ElementAt(3);
        step.Payload = BoardEditor.FlipDigit(step.Payload, "response", occurrence: 2);
        var dir = Directory.CreateTempSubdirectory("socle-verify-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "tampered.bel"), editor.Rechain(), TestContext.Current.CancellationToken);

        var outcome = await Cli.RunAsync("vote", "verify", dir, "--json");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("FAILED at event Ballot at height 4", outcome.StdErr);
        Assert.Contains("question 1, value 2", outcome.StdErr);
        Assert.Contains("[ballot_proof_invalid]", outcome.StdErr);
        using var doc = JsonDocument.Parse(outcome.StdOut);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(4, doc.RootElement.GetProperty("problem").GetProperty("height").GetInt32());
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Verify_of_a_missing_file_exits_three()
    {
        var outcome = await Cli.RunAsync("vote", "verify", "/nonexistent/board.bel");
        Assert.Equal(3, outcome.ExitCode);
    }

    /// <summary>Runs a whole election with socle vote commands; returns the folder.</summary>
    private static async Task<string> RunElectionAsync(string group, bool stepwiseThreshold)
    {
        var d = Directory.CreateTempSubdirectory("socle-election-").FullName;
        var ct = TestContext.Current.CancellationToken;
        await Cli.OkAsync("vote", "credentials", "--dir", d, "--group", group, "--count", "5");
        var creds = (await File.ReadAllLinesAsync(Path.Combine(d, "private_creds.txt"), ct)).Select(l => l.Split(' ')[1]).ToArray();
        Assert.Equal(5, creds.Length);

        // A single key (the server's) and a 2-of-3 threshold group of trustees.
        await Cli.OkAsync("vote", "trustee", "keygen", "--dir", Path.Combine(d, "keys"), "--group", group, "--name", "server");
        var pubkey = Directory.GetFiles(Path.Combine(d, "keys"), "*.pubkey").Single();
        var t = Path.Combine(d, "threshold");
        if (stepwiseThreshold)
        {
            for (var i = 1; i <= 3; i++)
            {
                await Cli.OkAsync("vote", "trustee", "threshold-cert", "--dir", t, "--group", group, "--size", "3", "--threshold", "2", "--index", $"{i}");
            }
            var certs = Enumerable.Range(1, 3).SelectMany(i => new[] { "--cert", Path.Combine(t, $"trustee-{i}.cert") }).ToArray();
            for (var i = 1; i <= 3; i++)
            {
                await Cli.OkAsync(["vote", "trustee", "threshold-polynomial", "--group", group, .. certs, "--seed", Path.Combine(t, $"trustee-{i}.seed"), "--out", Path.Combine(t, $"polynomial-{i}.json")]);
            }
            var polys = Enumerable.Range(1, 3).SelectMany(i => new[] { "--polynomial", Path.Combine(t, $"polynomial-{i}.json") }).ToArray();
            await Cli.OkAsync(["vote", "trustee", "threshold-inputs", "--dir", t, "--group", group, .. certs, .. polys]);
            for (var i = 1; i <= 3; i++)
            {
                await Cli.OkAsync(["vote", "trustee", "threshold-output", "--group", group, .. certs, "--seed", Path.Combine(t, $"trustee-{i}.seed"), "--input", Path.Combine(t, $"vinput-{i}.json"), "--out", Path.Combine(t, $"voutput-{i}.json")]);
            }
            var outs = Enumerable.Range(1, 3).SelectMany(i => new[] { "--output", Path.Combine(t, $"voutput-{i}.json") }).ToArray();
            await Cli.OkAsync(["vote", "trustee", "threshold-finish", "--dir", t, "--group", group, .. certs, .. polys, .. outs]);
        }
        else
        {
            await Cli.OkAsync("vote", "trustee", "threshold-ceremony", "--dir", t, "--group", group, "--size", "3", "--threshold", "2");
        }
        await Cli.OkAsync("vote", "trustees", "--dir", d, "--group", group, $"single:{pubkey}", $"threshold:{Path.Combine(t, "threshold.json")}");
        await File.WriteAllTextAsync(Path.Combine(d, "template.json"), Template, ct);
        await Cli.OkAsync("vote", "election", "make", "--dir", d, "--group", group, "--template", Path.Combine(d, "template.json"));
        await Cli.OkAsync("vote", "board", "init", "--dir", d);

        // Five voters: A, B, blank, A, and voter 5 votes C then changes to B.
        string[] choices = ["[[0,1,0,0],[1,0]]", "[[0,0,1,0],[0,1]]", "[[1,0,0,0],[0,0]]", "[[0,1,0,0],[1,0]]", "[[0,0,0,1],[0,0]]"];
        for (var i = 0; i < 5; i++)
        {
            await Cli.OkAsync("vote", "ballot", "encrypt", "--dir", d, "--credential", creds[i], "--choice", choices[i], "--out", Path.Combine(d, $"ballot-{i}.json"));
        }
        await Cli.OkAsync(["vote", "ballot", "cast", "--dir", d, .. Enumerable.Range(0, 5).Select(i => Path.Combine(d, $"ballot-{i}.json"))]);
        var revote = await Cli.OkAsync("vote", "ballot", "encrypt", "--dir", d, "--credential", creds[4], "--choice", "[[0,0,1,0],[0,1]]");
        await File.WriteAllTextAsync(Path.Combine(d, "revote.json"), revote.StdOut, ct);
        await Cli.OkAsync("vote", "ballot", "cast", "--dir", d, Path.Combine(d, "revote.json"));

        // Casting the same ballot again is refused (exit 1) and leaves the board unchanged.
        var replay = await Cli.RunAsync("vote", "ballot", "cast", "--dir", d, Path.Combine(d, "ballot-0.json"));
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("already on the board", replay.StdOut);

        // Tallying before closing is refused.
        var early = await Cli.RunAsync("vote", "tally", "--dir", d);
        Assert.Equal(4, early.ExitCode);
        Assert.Contains("must be closed", early.StdErr);

        await Cli.OkAsync("vote", "close", "--dir", d);
        var late = await Cli.RunAsync("vote", "ballot", "cast", "--dir", d, Path.Combine(d, "revote.json"));
        Assert.Equal(1, late.ExitCode);
        Assert.Contains("voting is closed", late.StdOut);

        await Cli.OkAsync("vote", "tally", "--dir", d);
        var privkey = Directory.GetFiles(Path.Combine(d, "keys"), "*.privkey").Single();
        await Cli.OkAsync("vote", "decrypt", "--dir", d, "--key", privkey, "--out", Path.Combine(d, "pd-1.json"));
        await Cli.OkAsync("vote", "add-decryption", "--dir", d, "--owner", "1", Path.Combine(d, "pd-1.json"));

        // A partial decryption under the wrong owner is refused.
        var wrong = await Cli.RunAsync("vote", "add-decryption", "--dir", d, "--owner", "2", Path.Combine(d, "pd-1.json"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("invalid", wrong.StdErr);

        // Threshold trustees 1 and 3 (owners 2 and 4) decrypt; trustee 2 does not take part.
        foreach (var i in new[] { 1, 3 })
        {
            await Cli.OkAsync("vote", "decrypt", "--dir", d, "--seed", Path.Combine(t, $"trustee-{i}.seed"), "--decryption-key", Path.Combine(t, $"decryption-key-{i}.json"), "--out", Path.Combine(d, $"pd-t{i}.json"));
            await Cli.OkAsync("vote", "add-decryption", "--dir", d, "--owner", $"{i + 1}", Path.Combine(d, $"pd-t{i}.json"));
        }
        var result = await Cli.OkAsync("vote", "result", "--dir", d, "--json");
        using var doc = JsonDocument.Parse(result.StdOut);
        var counts = doc.RootElement.GetProperty("result")[0].GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("count").GetInt32()).ToArray();
        Assert.Equal([2, 2, 0, 1], counts); // A, B, C, blank
        var referendum = doc.RootElement.GetProperty("result")[1].GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("count").GetInt32()).ToArray();
        Assert.Equal([2, 2], referendum); // Oui (voters 1, 4), Non (voters 2, 5)
        Assert.Equal("{\"result\":[[1,2,2,0],[2,2]]}", (await File.ReadAllTextAsync(Path.Combine(d, "result.json"), ct)).Trim());
        return d;
    }

    [Fact]
    public async Task A_BELENIOS_2048_election_made_by_socle_vote_passes_Debians_belenios_tool()
    {
        var d = await RunElectionAsync("BELENIOS-2048", stepwiseThreshold: false);
        var ours = await Cli.OkAsync("vote", "verify", d, "--json");
        Assert.Contains("\"ok\": true", ours.StdOut);

        // Belenios' own verifier (Debian package belenios-tool 2.0), given only the board.
        var only = Directory.CreateTempSubdirectory("socle-belenios-").FullName;
        var bel = Directory.GetFiles(d, "*.bel").Single();
        File.Copy(bel, Path.Combine(only, Path.GetFileName(bel)));
        var belenios = await Cli.ProcessAsync("belenios-tool", only, "election", "verify", "--dir", only);
        Assert.True(belenios.ExitCode == 0, belenios.ToString());
        Assert.Contains("all checks passed", belenios.StdErr + belenios.StdOut);

        // And belenios-tool does catch a tampered copy (so its "all checks passed" means something).
        var editor = new BoardEditor(bel);
        var step = editor.Ballots.ElementAt(1);
        step.Payload = BoardEditor.FlipDigit(step.Payload, "response", occurrence: 1);
        await File.WriteAllBytesAsync(Path.Combine(only, Path.GetFileName(bel)), editor.Rechain(), TestContext.Current.CancellationToken);
        var caught = await Cli.ProcessAsync("belenios-tool", only, "election", "verify", "--dir", only);
        Assert.NotEqual(0, caught.ExitCode);
        Directory.Delete(only, true);
        Directory.Delete(d, true);
    }

    [Fact]
    public async Task An_Ed25519_election_with_a_stepwise_threshold_ceremony_runs_end_to_end()
    {
        var d = await RunElectionAsync("Ed25519", stepwiseThreshold: true);
        var report = await Cli.OkAsync("vote", "verify", d);
        Assert.Contains("6 ballot(s) on the board, 5 counted, 1 replaced", report.StdOut);
        Assert.Contains("4 trustee(s); 3 partial decryption(s)", report.StdOut);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(d, "private_creds.txt")));
        }
        Directory.Delete(d, true);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field()
    {
        var d = Directory.CreateTempSubdirectory("socle-bad-").FullName;
        var group = await Cli.RunAsync("vote", "credentials", "--dir", d, "--group", "P-256", "--count", "3");
        Assert.Equal(2, group.ExitCode);
        Assert.Contains("group", group.StdErr);

        await File.WriteAllTextAsync(Path.Combine(d, "voters.txt"), "alice@example.org\nbob@example.org,0\n", TestContext.Current.CancellationToken);
        var weight = await Cli.RunAsync("vote", "credentials", "--dir", d, "--voters", Path.Combine(d, "voters.txt"));
        Assert.Equal(2, weight.ExitCode);
        Assert.Contains("line 2", weight.StdErr);

        await Cli.OkAsync("vote", "credentials", "--dir", d, "--count", "2");
        await Cli.OkAsync("vote", "trustee", "keygen", "--dir", d);
        var key = Directory.GetFiles(d, "*.pubkey").Single();
        await Cli.OkAsync("vote", "trustees", "--dir", d, $"single:{key}");
        await File.WriteAllTextAsync(Path.Combine(d, "template.json"), """{"description":"d","name":"n","questions":[{"answers":["A","B"],"min":2,"max":1,"question":"Q"}]}""", TestContext.Current.CancellationToken);
        var template = await Cli.RunAsync("vote", "election", "make", "--dir", d, "--template", Path.Combine(d, "template.json"));
        Assert.Equal(1, template.ExitCode);
        Assert.Contains("template.questions[0]: min and max", template.StdErr);

        await File.WriteAllTextAsync(Path.Combine(d, "template.json"), """{"description":"d","name":"n","questions":[{"answers":["A","B"],"min":1,"max":1,"question":"Q"}]}""", TestContext.Current.CancellationToken);
        await Cli.OkAsync("vote", "election", "make", "--dir", d, "--template", Path.Combine(d, "template.json"));
        await Cli.OkAsync("vote", "board", "init", "--dir", d);
        var cred = (await File.ReadAllLinesAsync(Path.Combine(d, "private_creds.txt"), TestContext.Current.CancellationToken))[0].Split(' ')[1];
        var choice = await Cli.RunAsync("vote", "ballot", "encrypt", "--dir", d, "--credential", cred, "--choice", "[[1,1]]");
        Assert.Equal(2, choice.ExitCode);
        Assert.Contains("between 1 and 1 answers", choice.StdErr);
        var credential = await Cli.RunAsync("vote", "ballot", "encrypt", "--dir", d, "--credential", "not-a-credential", "--choice", "[[1,0]]");
        Assert.Equal(2, credential.ExitCode);
        Assert.Contains("credential", credential.StdErr);
        Directory.Delete(d, true);
    }
}
