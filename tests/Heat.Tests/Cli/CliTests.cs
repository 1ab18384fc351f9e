using System.CommandLine;
using System.Text.Json;
using Socle.Modules.Heat;
using Socle.Modules.Heat.Scenarios;
using Socle.Platform.Cli;
using Socle.Testing;

namespace Socle.Heat.Tests.Cli;

/// <summary><c>socle heat …</c> run in-process, as the socle tool builds it (global --json and --db, the heat group).</summary>
public class CliTests
{
    private sealed record Outcome(int ExitCode, string StdOut, string StdErr);

    private static async Task<Outcome> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext([HeatModule.Descriptor]) { StdOut = stdout, StdErr = stderr };
        var root = new RootCommand("socle");
        root.Options.Add(context.Json);
        root.Options.Add(context.Db);
        root.Subcommands.Add(HeatModule.Descriptor.Cli!(context));
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    private static string TempFile(string name, string content)
    {
        var dir = Directory.CreateTempSubdirectory("socle-heat-cli-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Simulate_a_scenario_file_prints_its_indicators_and_writes_its_results()
    {
        var file = TempFile("mesnil.json", ShippedScenarios.Find("mesnil-esnard")!.ToJson());
        var outDir = Path.Combine(Path.GetDirectoryName(file)!, "out");
        var r = await Run("heat", "simulate", file, "--out", outDir, "--json");
        Assert.Equal(0, r.ExitCode);
        using var report = JsonDocument.Parse(r.StdOut);
        Assert.Equal(690, report.RootElement.GetProperty("indicators").GetProperty("delivered_mwh").GetDouble(), 1.0);
        Assert.Contains("10 nodes", r.StdErr);
        var csv = File.ReadAllLines(Path.Combine(outDir, "mesnil-esnard-hourly.csv"));
        Assert.Equal(8761, csv.Length);
        Assert.True(File.Exists(Path.Combine(outDir, "mesnil-esnard-report.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "mesnil-esnard-hourly.json")));
    }

    [Fact]
    public async Task Simulate_prints_a_summary_table_for_people()
    {
        var file = TempFile("street.json", Builders.Street().ToJson());
        var r = await Run("heat", "simulate", file);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("EnR&R rate", r.StdOut);
        Assert.Contains("linear density", r.StdOut);
        Assert.Contains("production", r.StdOut);
    }

    [Fact]
    public async Task Bad_input_exits_2_naming_the_field_and_a_missing_file_exits_3()
    {
        var s = Builders.Street();
        var bad = TempFile("bad.json", (s with { Network = s.Network with { Pipes = [s.Network.Pipes[0] with { Length_m = -1 }, .. s.Network.Pipes.Skip(1)] } }).ToJson());
        var r = await Run("heat", "simulate", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("pipes[p0].length_m", r.StdErr);
        var missing = await Run("heat", "simulate", "/nowhere/none.json");
        Assert.Equal(3, missing.ExitCode);
        var weather = TempFile("w.json", (s with { Climate = new ClimateRef { Source = "atlantis" } }).ToJson());
        var noWeather = await Run("heat", "simulate", weather);
        Assert.Equal(2, noWeather.ExitCode);
        Assert.Contains("missing weather", noWeather.StdErr);
    }

    [Fact]
    public async Task Check_connection_answers_with_exit_0_when_obliged_and_1_when_not()
    {
        var file = TempFile("mesnil.json", ShippedScenarios.Find("mesnil-esnard")!.ToJson());
        var obliged = await Run("heat", "check-connection", "--scenario", file, "--x", "200", "--y", "20", "--need-kw", "45", "--new", "--json");
        Assert.Equal(0, obliged.ExitCode);
        using var answer = JsonDocument.Parse(obliged.StdOut);
        Assert.True(answer.RootElement.GetProperty("obliged").GetBoolean());
        var small = await Run("heat", "check-connection", "--scenario", file, "--x", "200", "--y", "20", "--need-kw", "20", "--new");
        Assert.Equal(1, small.ExitCode);
        Assert.Contains("No connection obligation", small.StdOut);
    }

    [Fact]
    public async Task Import_pandapipes_solves_the_network_and_can_store_it()
    {
        await using var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite, TestContext.Current.CancellationToken);
        var file = TestData.Path("heat", "pandapipes-reference", "heat_transfer_cases", "delta.json");
        var r = await Run("heat", "import-pandapipes", file, "--law", "finite-volume", "--save", "--id", "delta-import", "--db", db.ConnectionString, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var junctions = doc.RootElement.GetProperty("steady_state").GetProperty("junctions");
        Assert.Equal(0.659140496436492, junctions[1].GetProperty("p_bar").GetDouble(), 0.005); // OpenModelica's p_om
        Assert.Contains("stored", r.StdErr);
        var list = await Run("heat", "list", "--db", db.ConnectionString, "--json");
        Assert.Contains("delta-import", list.StdOut);
        var exported = await Run("heat", "export", "delta-import", "--db", db.ConnectionString);
        Assert.Contains("\"plant_node\": \"J0\"", exported.StdOut);
    }

    [Fact]
    public async Task A_stored_run_is_kept_with_its_scenario()
    {
        await using var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Run("heat", "seed", "--db", db.ConnectionString)).ExitCode);
        var r = await Run("heat", "simulate", "mesnil-esnard", "--store", "--db", db.ConnectionString);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("stored", r.StdErr);
        var list = await Run("heat", "list", "--db", db.ConnectionString, "--json");
        using var doc = JsonDocument.Parse(list.StdOut);
        var mesnil = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "mesnil-esnard");
        Assert.Equal(690, mesnil.GetProperty("delivered_mwh").GetDouble(), 1.0);
    }
}
