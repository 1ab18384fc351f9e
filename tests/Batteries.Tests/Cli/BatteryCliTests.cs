using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Socle.Modules.Batteries;
using Socle.Modules.Batteries.Cli;
using Socle.Modules.Batteries.Demo;
using Socle.Platform.Cli;
using Socle.Testing;

namespace Socle.Batteries.Tests.Cli;

/// <summary><c>socle battery …</c> run in-process on a fresh SQLite file, the way an administrator runs it.</summary>
public sealed class BatteryCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("socle-battery-cli-");

    private string Db => $"Data Source={Path.Combine(_dir.FullName, "socle.db")}";

    static BatteryCliTests()
    {
        // the CLI reads its key ring folder from the environment, as `socle` does in production
        Environment.SetEnvironmentVariable("Socle__DataProtection__KeysDirectory", Directory.CreateTempSubdirectory("socle-cli-keys-").FullName);
        Environment.SetEnvironmentVariable("Socle__Demo__Seed", "false");
    }

    public sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public JsonElement Json => JsonDocument.Parse(StdOut).RootElement;
    }

    private async Task<Outcome> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext([BatteriesModule.Descriptor]) { StdOut = stdout, StdErr = stderr };
        var root = new RootCommand("socle");
        root.Options.Add(context.Json);
        root.Options.Add(context.Db);
        root.Subcommands.Add(BatteryCommands.Create(context));
        var code = await root.Parse([.. args, "--db", Db]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(string Operator, string Passport)> OperatorWithPassportAsync()
    {
        var party = await Run("battery", "party", "add", "--role", "operator", "--name", "Cellules du Nord", "--bpnl", "BPNL00000003CRHK", "--bpna", "BPNA00000003AYRE", "--json");
        Assert.Equal(0, party.ExitCode);
        Assert.StartsWith("sbk_", party.Json.GetProperty("accessKey").GetString());
        var op = party.Json.GetProperty("id").GetString()!;
        var created = await Run("battery", "passport", "create", "--file", Write("nmc.json", SamplePassports.Load(SamplePassports.EvNmc811).ToJsonString()), "--as-party", op, "--json");
        Assert.True(created.ExitCode == 0, created.StdErr);
        return (op, created.Json.GetProperty("passport").GetString()!);
    }

    [Fact]
    public async Task Validate_names_the_path_and_reason_of_a_published_sample_that_breaks_its_schema()
    {
        var bad = await Run("battery", "passport", "validate", TestData.Path("batteries", "schemas", "batterypass-1.2", "MaterialComposition-payload.json"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(@"$.batteryMaterials[0].batteryMaterialIdentifier: '7439-93-2 ' does not match the pattern ^\d{2,7}-\d{2}-\d{1}$ [pattern]", bad.StdOut);
        var good = await Run("battery", "passport", "validate",
            TestData.Path("batteries", "schemas", "batterypass-1.2", "Circularity.json"),
            TestData.Path("batteries", "schemas", "catenax-battery_pass-6.1.0", "BatteryPass.json"), "--json");
        Assert.Equal(0, good.ExitCode);
        Assert.Equal(["batterypass-1.2/circularity", "catenax-6.1.0/battery-pass"], good.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("schema").GetString()));
        var unknown = await Run("battery", "passport", "validate", Write("x.json", "{\"a\":1}"));
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Create_show_and_export_a_passport()
    {
        var (_, id) = await OperatorWithPassportAsync();
        var shown = await Run("battery", "passport", "show", id, "--as", "public", "--json");
        Assert.Equal(0, shown.ExitCode);
        Assert.False(shown.Json.GetProperty("content").GetProperty("generalProductInformation").TryGetProperty("batteryStatus", out _));
        Assert.DoesNotContain("M12-811-A", shown.StdOut);

        var outDir = Path.Combine(_dir.FullName, "export");
        var export = await Run("battery", "passport", "export", id, "--as", "operator", "--out", outDir);
        Assert.True(export.ExitCode == 0, export.StdErr);
        Assert.Equal(7, Directory.GetFiles(outDir, "*.json").Length);
        var check = await Run(["battery", "passport", "validate", "--published", .. Directory.GetFiles(outDir, "*.json").Order()]);
        Assert.True(check.ExitCode == 0, check.StdOut);
        var catenaX = await Run("battery", "passport", "export", id, "--format", "catenax", "--as", "operator", "--json");
        Assert.Equal(0, catenaX.ExitCode);
        Assert.True(catenaX.Json.GetProperty("documents")[0].GetProperty("valid").GetBoolean());
        var publicExport = await Run("battery", "passport", "export", id, "--as", "public", "--json");
        Assert.Equal(1, publicExport.ExitCode); // the public view lacks what the schemas require: reported, not padded
    }

    [Fact]
    public async Task Verify_detects_a_tampered_version_and_a_tampered_signature()
    {
        var (op, id) = await OperatorWithPassportAsync();
        var reading = await Run("battery", "passport", "reading", id, "--file",
            Write("r.json", $$"""{"measuredAt":"{{DateTimeOffset.UtcNow.AddMinutes(-3):O}}","stateOfCharge_pct":55,"fullCycles":10}"""), "--as-party", op);
        Assert.True(reading.ExitCode == 0, reading.StdErr);
        Assert.Equal(0, (await Run("battery", "passport", "verify", id)).ExitCode);

        var db = new Platform.Storage.Database(Db);
        await using (var c = await db.OpenAsync(TestContext.Current.CancellationToken))
        {
            await c.ExecuteAsync("DROP TRIGGER battery_passport_versions_no_update");
            await c.ExecuteAsync("UPDATE battery_passport_versions SET document = REPLACE(document, '\"stateOfChargeValue\":55', '\"stateOfChargeValue\":95') WHERE passport_id = @id AND version = 2", new { id });
        }
        var tampered = await Run("battery", "passport", "verify", id);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"FAILED {id} version 2: hash_mismatch", tampered.StdErr);
        Assert.Contains($"FAILED {id} version 2: signature_invalid", tampered.StdErr);

        await using (var c = await db.OpenAsync(TestContext.Current.CancellationToken))
        {
            // restore the document, then corrupt the first version's signature instead
            await c.ExecuteAsync("UPDATE battery_passport_versions SET document = REPLACE(document, '\"stateOfChargeValue\":95', '\"stateOfChargeValue\":55') WHERE passport_id = @id AND version = 2", new { id });
            Assert.Equal(0, (await Run("battery", "passport", "verify", id)).ExitCode);
            await c.ExecuteAsync("UPDATE battery_passport_versions SET signature = substr(signature, 1, length(signature) - 4) || 'AAAA' WHERE passport_id = @id AND version = 1", new { id });
        }
        var badSignature = await Run("battery", "passport", "verify", "--all", "--json");
        Assert.Equal(1, badSignature.ExitCode);
        var problem = badSignature.Json.GetProperty("reports")[0].GetProperty("problems")[0];
        Assert.Equal(1, problem.GetProperty("version").GetInt32());
        Assert.Equal("signature_invalid", problem.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Status_changes_that_break_the_rules_are_refused_with_exit_4()
    {
        var (op, id) = await OperatorWithPassportAsync();
        var refused = await Run("battery", "passport", "status", id, "recycle", "--as-party", op);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("only a waste battery can be recycled", refused.StdErr);
        Assert.Equal(0, (await Run("battery", "passport", "status", id, "discard", "--as-party", op)).ExitCode);
        Assert.Equal(4, (await Run("battery", "passport", "status", id, "reuse", "--as-party", op)).ExitCode);
        var recycled = await Run("battery", "passport", "status", id, "recycle", "--as-party", op, "--json");
        Assert.Equal("ended", recycled.Json.GetProperty("lifecycle").GetString());
        Assert.Equal(3, (await Run("battery", "passport", "show", id)).ExitCode);
        Assert.Equal(2, (await Run("battery", "passport", "status", id, "explode", "--as-party", op)).ExitCode);
    }

    [Fact]
    public async Task Bulk_import_reports_bad_lines_and_is_safe_to_run_again()
    {
        var party = await Run("battery", "party", "add", "--role", "operator", "--name", "Gigafactory", "--json");
        var op = party.Json.GetProperty("id").GetString()!;
        var lines = Enumerable.Range(1, 3).Select(i => SamplePassports.WithSerial(SamplePassports.EvLfp, $"LFP60-{i:D6}").ToJsonString()).ToList();
        var broken = SamplePassports.WithSerial(SamplePassports.EvLfp, "LFP60-999999");
        broken["generalProductInformation"]!["batteryMass"] = -1;
        lines.Add(broken.ToJsonString());
        lines.Add("");
        lines.Add("{\"generalProductInformation\": ");
        lines.Add("[1, 2]");
        var file = Write("batch.jsonl", string.Join("\n", lines) + "\n");

        var first = await Run("battery", "passport", "import", "--file", file, "--as-party", op, "--json");
        Assert.Equal(1, first.ExitCode);
        Assert.Equal(3, first.Json.GetProperty("imported").GetInt32());
        var errors = first.Json.GetProperty("errors");
        Assert.Equal(4, errors[0].GetProperty("line").GetInt32());
        Assert.Contains("$.generalProductInformation.batteryMass: must be greater than zero", errors[0].GetProperty("problems")[0].GetString());
        Assert.Equal(6, errors[1].GetProperty("line").GetInt32()); // the blank line 5 is skipped, not refused
        Assert.StartsWith("$: is not valid JSON", errors[1].GetProperty("problems")[0].GetString());
        Assert.Equal(7, errors[2].GetProperty("line").GetInt32());
        Assert.Equal("$: must be a JSON object (one passport per line)", errors[2].GetProperty("problems")[0].GetString());

        var again = await Run("battery", "passport", "import", "--file", file, "--as-party", op, "--json");
        Assert.Equal(0, again.Json.GetProperty("imported").GetInt32());
        Assert.Equal(6, again.Json.GetProperty("rejected").GetInt32());
        Assert.Equal(0, (await Run("battery", "passport", "verify", "--all")).ExitCode);
    }

    [Fact]
    public async Task Footprint_and_plan_print_their_results()
    {
        var footprint = await Run("battery", "footprint", SampleFootprints.Nmc811, "--json");
        Assert.Equal(0, footprint.ExitCode);
        Assert.Equal(5250, footprint.Json.GetProperty("total_kgco2e").GetDouble(), 6);
        var germany = await Run("battery", "footprint", SampleFootprints.Nmc811, "--country", "DE", "--json");
        Assert.Equal(5250 + 1218.75, germany.Json.GetProperty("total_kgco2e").GetDouble(), 6);
        var file = Write("bom.json", JsonSerializer.Serialize(new { ratedEnergy_kwh = 75, serviceYears = 8, materials = new[] { new { name = "all", mass_kg = 5250, factor_kgco2e_per_kg = 1 } } }));
        var custom = await Run("battery", "footprint", file);
        Assert.Contains("70.0 kg CO2e per kWh of capacity", custom.StdOut);
        Assert.Equal(2, (await Run("battery", "footprint", Write("bad.json", "{\"ratedEnergy_kwh\": -5}"))).ExitCode);

        var plan = await Run("battery", "plan", "eu-2030-halved", "--json");
        Assert.Equal(0, plan.ExitCode);
        var y2030 = plan.Json.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == 2030);
        Assert.Equal(725, y2030.GetProperty("capacity_gwh").GetDouble(), 6);
        var table = await Run("battery", "plan", "eu-2030-announced", "--material", "cobalt");
        Assert.Contains("cobalt t", table.StdOut);
        Assert.Equal(3, (await Run("battery", "plan", "no-such-scenario")).ExitCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
