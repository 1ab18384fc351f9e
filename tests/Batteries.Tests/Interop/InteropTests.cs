using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Interop;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;
using Socle.Testing;

namespace Socle.Batteries.Tests.Interop;

public class InteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly PartyProfile Profile = new() { Bpnl = "BPNL00000003CRHK", Bpna = "BPNA00000003AYRE" };

    private static JsonElement Published(string file) =>
        JsonDocument.Parse(JsonSchema.DecodeText(File.ReadAllBytes(TestData.Path("batteries", "schemas", "batterypass-1.2", file)))).RootElement.Clone();

    public static TheoryData<string> Samples() => [.. SamplePassports.All];

    [Theory, MemberData(nameof(Samples))]
    public async Task Our_realistic_passports_export_to_every_published_schema_and_validate(string sample)
    {
        await using var host = await BatteriesHost.StartAsync(TestDatabase.Sqlite);
        var op = await host.OperatorAsync();
        var created = await host.Registry.CreateAsync(op, SamplePassports.Load(sample), CreateMode.Create, null, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var (head, doc) = (await host.Registry.ReadAsync(created.Value.Head.Id, null, Ct))!.Value;

        var batteryPass = BatteryPassFormat.Export(doc.Content, AccessGroup.Operator);
        Assert.Equal(["GeneralProductInformation", "CarbonFootprint", "SupplyChainDueDiligence", "MaterialComposition", "Circularity", "PerformanceAndDurability", "Labels"],
            batteryPass.Select(d => d.Name));
        foreach (var d in batteryPass)
        {
            Assert.True(d.Valid, $"{d.Name}: {string.Join("; ", d.Errors)}");
        }
        Assert.Empty(PassportContent.Completeness(doc.Content));

        var catenaX = CatenaXFormat.Export(doc.Content, AccessGroup.Operator, new CatenaXContext(head, Profile, "https://passports.example/batteries/p/" + head.Id));
        Assert.True(catenaX.Valid, string.Join("; ", catenaX.Errors));
        var cx = catenaX.Document;
        Assert.Equal(head.Uuid.ToString("D"), cx["metadata"]!["passportIdentifier"]!.GetValue<string>());
        Assert.Equal("EV", cx["identification"]!["category"]!.GetValue<string>());
        Assert.Equal(8, cx["characteristics"]!["warranty"]!["lifeValue"]!.GetValue<double>());
        Assert.Equal("original", cx["sustainability"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void The_published_battery_pass_samples_import_and_the_broken_one_is_refused_with_its_path_and_reason()
    {
        var files = new[]
        {
            "GeneralProductInformation-payload.json", "CarbonFootprintForBatteries-payload.json", "SupplyChainDueDiligence-payload.json",
            "Circularity.json", "Labeling-payload.json", "PerformanceAndDurability.json",
        };
        var imported = BatteryPassFormat.Import(files.Select(f => (f, Published(f))), DateTimeOffset.UnixEpoch);
        Assert.True(imported.Ok, string.Join("; ", imported.Problems));
        Assert.Equal(6, imported.Content!.Count);
        Assert.Equal("urn:bmwk:123456687678", imported.Content["generalProductInformation"]!["batteryPassportIdentifier"]!.GetValue<string>());

        var broken = BatteryPassFormat.Import([("MaterialComposition-payload.json", Published("MaterialComposition-payload.json"))], DateTimeOffset.UnixEpoch);
        Assert.False(broken.Ok);
        var problem = Assert.Single(broken.Problems);
        Assert.Equal("MaterialComposition-payload.json", problem.Document);
        Assert.Equal("$.batteryMaterials[0].batteryMaterialIdentifier", problem.Path);
        Assert.Equal(@"'7439-93-2 ' does not match the pattern ^\d{2,7}-\d{2}-\d{1}$", problem.Message);
    }

    [Fact]
    public void The_performance_1_2_0_sample_is_upgraded_to_1_2_1_with_a_note_on_what_cannot_be_kept()
    {
        var imported = BatteryPassFormat.Import([("PerformanceAndDurability-payload.json", Published("PerformanceAndDurability-payload.json"))], DateTimeOffset.UnixEpoch);
        Assert.True(imported.Ok, string.Join("; ", imported.Problems));
        var performance = imported.Content!["performance"]!;
        Assert.Equal(-2.209267E37, performance["batteryCondition"]!["evolutionOfSelfDischarge"]!["evolutionOfSelfDischargeValue"]!.GetValue<double>());
        Assert.Equal(-1.7976931348623157E308, performance["batteryCondition"]!["energyThroughput"]!["energyThroughputValue"]!.GetValue<double>());
        Assert.Null(performance["batteryTechicalProperties"]!["temperatureRangeIdleState"]);
        Assert.Contains(imported.Notes, n => n.StartsWith("temperatureRangeIdleState: 1.2.0 holds one temperature (-19.539389775261977", StringComparison.Ordinal));
        // the upgraded document holds only what 1.2.1 defines
        using var doc = JsonDocument.Parse(performance.ToJsonString());
        Assert.Empty(SchemaCatalog.Get(SchemaCatalog.Performance).Validate(doc.RootElement, new SchemaValidationOptions { IgnoreRequired = true }));
    }

    [Theory, StorageProviders]
    public async Task Imported_samples_become_a_passport_with_warnings_for_their_random_values(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var imported = BatteryPassFormat.Import(
            new[] { "GeneralProductInformation-payload.json", "CarbonFootprintForBatteries-payload.json", "PerformanceAndDurability.json" }.Select(f => (f, Published(f))),
            host.Clock.GetUtcNow());
        var created = await host.Registry.CreateAsync(op, imported.Content!, CreateMode.Import, null, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal("urn:bmwk:123456687678", created.Value.Head.Id);
        Assert.Equal("imported", created.Value.Version.Change);
        Assert.Contains(created.Value.Warnings, w => w.Path == "$.carbonFootprint.batteryCarbonFootprint" && w.Message == "must not be negative");
        Assert.Contains(created.Value.Warnings, w => w.Path == "$.generalProductInformation.productIdentifier");
        Assert.True((await host.Registry.VerifyAsync(created.Value.Head.Id, Ct))!.Ok);
    }

    [Fact]
    public void The_catena_x_sample_imports_and_a_broken_one_is_refused_with_its_path()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(TestData.Path("batteries", "schemas", "catenax-battery_pass-6.1.0", "BatteryPass.json"))).RootElement;
        var imported = CatenaXFormat.Import(sample, "socle");
        Assert.True(imported.Ok, string.Join("; ", imported.Problems));
        var content = imported.Content!;
        Assert.Equal(sample.GetProperty("identification").GetProperty("idDmc").GetString(), content["generalProductInformation"]!["productIdentifier"]!.GetValue<string>());
        Assert.Equal(sample.GetProperty("identification").GetProperty("chemistry").GetString(), content["materialComposition"]!["batteryChemistry"]!["shortName"]!.GetValue<string>());
        var uuid = Guid.Parse(sample.GetProperty("metadata").GetProperty("passportIdentifier").GetString()!.Replace("urn:uuid:", "", StringComparison.Ordinal));
        Assert.Equal($"urn:socle:{uuid:N}", content["generalProductInformation"]!["batteryPassportIdentifier"]!.GetValue<string>());
        using var element = JsonDocument.Parse(content.ToJsonString());
        Assert.Empty(PassportContent.SchemaProblems(element.RootElement));

        var broken = JsonDocument.Parse(File.ReadAllText(TestData.Path("batteries", "reference", "cases", "catenax-recycled-above-100.json"))).RootElement;
        var refused = CatenaXFormat.Import(broken, "socle");
        var problem = Assert.Single(refused.Problems);
        Assert.Equal("$.materials.active.nickel.recycled", problem.Path);
        Assert.Equal("101 is greater than the maximum of 100", problem.Message);
    }

    [Fact]
    public void A_battery_pass_export_imports_back_to_the_same_sections()
    {
        var content = AccessMatrixContent();
        var exported = BatteryPassFormat.Export(content, AccessGroup.Operator);
        var back = BatteryPassFormat.Import(exported.Select(d => (d.Name, JsonDocument.Parse(d.Document.ToJsonString()).RootElement)), DateTimeOffset.UnixEpoch);
        Assert.True(back.Ok, string.Join("; ", back.Problems));
        foreach (var (section, _, _, _) in AttributeCatalog.Sections)
        {
            Assert.Equal(JsonNode.Parse(content.GetProperty(section).GetRawText())!.ToJsonString(), back.Content![section]!.ToJsonString());
        }
    }

    [Fact]
    public void A_catena_x_export_imports_back_with_the_values_both_models_share()
    {
        var content = AccessMatrixContent();
        var head = new PassportHead("urn:socle:0123456789abcdef0123456789abcdef", Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), "(01)03770031220018(21)NMC75-000001",
            "op-1", "ev", "NMC811", BatteryStatus.Reused, PassportLifecycle.Active, 4, "h", null, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var exported = CatenaXFormat.Export(content, AccessGroup.Operator, new CatenaXContext(head, Profile, "https://x.example/p"));
        Assert.True(exported.Valid, string.Join("; ", exported.Errors));
        var back = CatenaXFormat.Import(JsonDocument.Parse(exported.Document.ToJsonString()).RootElement, "socle");
        Assert.True(back.Ok, string.Join("; ", back.Problems));
        var c = back.Content!;
        Assert.Equal(head.Id, c["generalProductInformation"]!["batteryPassportIdentifier"]!.GetValue<string>());
        Assert.Equal("Reused", c["generalProductInformation"]!["batteryStatus"]!.GetValue<string>());
        Assert.Equal(375, c["generalProductInformation"]!["batteryMass"]!.GetValue<double>());
        Assert.Equal(8, c["extensions"]!["warrantyYears"]!.GetValue<double>());
        Assert.Equal(0.145833, c["carbonFootprint"]!["batteryCarbonFootprint"]!.GetValue<double>());
        Assert.Equal(4, c["carbonFootprint"]!["carbonFootprintPerLifecycleStage"]!.AsArray().Count);
        Assert.Equal(214, c["performance"]!["batteryTechicalProperties"]!["ratedCapacity"]!.GetValue<double>());
        Assert.Equal(16, c["circularity"]!["recycledContent"]!.AsArray().Single(r => r!["recycledMaterial"]!.GetValue<string>() == "Cobalt")!["postConsumerShare"]!.GetValue<double>());
    }

    [Fact]
    public void A_view_without_restricted_attributes_is_reported_incomplete_not_padded()
    {
        var exported = BatteryPassFormat.Export(AccessMatrixContent(), AccessGroup.Public);
        var labels = exported.Single(d => d.Name == "Labels");
        Assert.Contains(labels.Errors, e => e.Path == "$" && e.Message == "'resultOfTestReport' is required");
        Assert.DoesNotContain("resultOfTestReport", labels.Document.ToJsonString());
    }

    private static JsonElement AccessMatrixContent() => Access.AccessMatrix.FullContent();
}
