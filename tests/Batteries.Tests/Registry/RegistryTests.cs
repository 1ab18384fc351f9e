using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Platform;
using Socle.Testing;

namespace Socle.Batteries.Tests.Registry;

public class RegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, StorageProviders]
    public async Task Creating_a_passport_records_a_signed_journaled_version_1_that_verifies(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();

        var created = await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct);

        Assert.True(created.IsSuccess, created.Error?.Message);
        var head = created.Value.Head;
        Assert.Matches("^urn:socle:[0-9a-f]{32}$", head.Id);
        Assert.Equal("(01)03770031220018(21)NMC75-000001", head.BatteryId);
        Assert.Equal(BatteryStatus.Original, head.Status);
        Assert.Equal(PassportLifecycle.Active, head.Lifecycle);
        Assert.Equal("NMC811", head.Chemistry);
        Assert.Equal(1, created.Value.Version.Version);
        Assert.Equal(0, created.Value.Version.JournalHeight);

        var read = await host.Registry.ReadAsync(head.Id, null, Ct);
        var doc = read!.Value.Document;
        Assert.Equal(head.Id, PassportContent.Text(doc.Content, "generalProductInformation.batteryPassportIdentifier"));
        Assert.Equal("Original", PassportContent.StatusText(doc.Content));
        Assert.Equal("Cellules du Nord SAS", PassportContent.Text(doc.Content, "generalProductInformation.operatorInformation.contactName"));
        Assert.Equal(32, doc.Salt.Length);

        var report = await host.Registry.VerifyAsync(head.Id, Ct);
        Assert.True(report!.Ok, string.Join("; ", report.Problems));
        Assert.Equal(1, report.Versions);
    }

    [Theory, StorageProviders]
    public async Task Bad_content_is_refused_naming_each_field_and_nothing_is_stored(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var content = SamplePassports.Load(SamplePassports.EvNmc811);
        content["generalProductInformation"]!["batteryMass"] = -3;
        content["generalProductInformation"]!["batteryCategory"] = "car";
        content["generalProductInformation"]!["productIdentifier"] = "(01)03770031220019(21)X1";
        content["circularity"]!["recycledContent"]![0]!["postConsumerShare"] = 140;
        content["performance"]!["batteryTechicalProperties"]!["minimumVoltage"] = 500;

        var result = await host.Registry.CreateAsync(op, content, CreateMode.Create, null, Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        var fields = result.Error.Fields!;
        Assert.Contains("must be greater than zero", fields["$.generalProductInformation.batteryMass"]);
        Assert.Contains(fields["$.generalProductInformation.batteryCategory"], m => m.Contains("is not one of", StringComparison.Ordinal));
        Assert.Contains(fields["$.generalProductInformation.productIdentifier"], m => m.Contains("wrong check digit (expected 8)", StringComparison.Ordinal));
        Assert.Contains(fields["$.circularity.recycledContent[0].postConsumerShare"], m => m.Contains("maximum of 100", StringComparison.Ordinal));
        Assert.Contains(fields["$.performance.batteryTechicalProperties.minimumVoltage"], m => m.Contains("above the maximum voltage", StringComparison.Ordinal));

        await using var c = await host.Db.OpenAsync(Ct);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM battery_passports"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM battery_passport_versions"));
    }

    [Theory, StorageProviders]
    public async Task Updates_make_new_versions_chained_to_the_previous_one_and_check_the_expected_version(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;
        host.Clock.Advance(TimeSpan.FromDays(1));

        var sections = new JsonObject { ["supplyChainDueDiligence"] = new JsonObject { ["supplyChainDueDiligenceReport"] = "https://www.cellules-du-nord.example/dd-2026.pdf" } };
        var v2 = await host.Registry.UpdateAsync(op, id, sections, expectedVersion: 1, null, Ct);
        Assert.True(v2.IsSuccess, v2.Error?.Message);
        Assert.Equal(2, v2.Value.Version.Version);

        var stale = await host.Registry.UpdateAsync(op, id, sections, expectedVersion: 1, null, Ct);
        Assert.Equal("version_conflict", stale.Error!.Code);

        var renamed = await host.Registry.UpdateAsync(op, id, new JsonObject
        {
            ["generalProductInformation"] = JsonNode.Parse("""{"productIdentifier":"(01)03770031220025(21)OTHER","batteryCategory":"ev"}"""),
        }, null, null, Ct);
        Assert.Contains("cannot change", renamed.Error!.Fields!["$.generalProductInformation.productIdentifier"][0]);

        var versions = await host.Registry.VersionsAsync(id, Ct);
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        var second = (await host.Registry.ReadAsync(id, 2, Ct))!.Value.Document;
        Assert.Equal(versions[0].Hash, second.Previous);
        Assert.Equal("https://www.cellules-du-nord.example/dd-2026.pdf", PassportContent.Text(second.Content, "supplyChainDueDiligence.supplyChainDueDiligenceReport"));
        Assert.True((await host.Registry.VerifyAsync(id, Ct))!.Ok);
    }

    [Theory, StorageProviders]
    public async Task Another_operator_cannot_change_a_passport(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var other = await host.OperatorAsync("Autre Opérateur");
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;

        var result = await host.Registry.UpdateAsync(other, id, new JsonObject(), null, null, Ct);
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
        var reader = await host.PartyAsync(PartyRole.MarketSurveillance, "DGCCRF");
        var create = await host.Registry.CreateAsync(reader, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, null, Ct);
        Assert.Equal(ErrorKind.Forbidden, create.Error!.Kind);
    }

    [Theory, StorageProviders]
    public async Task A_battery_has_one_active_passport(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        Assert.True((await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).IsSuccess);
        var again = await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct);
        Assert.Equal("battery_has_passport", again.Error!.Code);
    }

    [Theory, StorageProviders]
    public async Task An_idempotency_key_replays_the_first_answer_and_refuses_another_request(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var key = new IdempotencyKey(op.Id, "create-nmc-1", "hash-a");

        var first = await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, key, Ct);
        var second = await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, key, Ct);
        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.Equal(first.Value.Head.Id, second.Value.Head.Id);
        Assert.Equal(first.Value.Version.Hash, second.Value.Version.Hash);

        var reused = await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, key with { RequestHash = "hash-b" }, Ct);
        Assert.Equal("idempotency_key_reused", reused.Error!.Code);
        await using var c = await host.Db.OpenAsync(Ct);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM battery_passports"));
    }

    [Theory, StorageProviders]
    public async Task Concurrent_retries_with_one_idempotency_key_create_one_passport(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var key = new IdempotencyKey(op.Id, "retry-storm", "same");
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, key, Ct)));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results.Select(r => r.Value.Head.Id).Distinct());
        await using var c = await host.Db.OpenAsync(Ct);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM battery_passports"));
    }

    [Theory, StorageProviders]
    public async Task Concurrent_updates_to_one_passport_are_serialised_into_a_clean_chain(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => host.Registry.UpdateAsync(op, id, new JsonObject
        {
            ["supplyChainDueDiligence"] = new JsonObject { ["supplyChainDueDiligenceReport"] = $"https://www.cellules-du-nord.example/dd-{i}.pdf" },
        }, null, null, Ct)));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(Enumerable.Range(2, 8), results.Select(r => r.Value.Version.Version).Order());
        var report = await host.Registry.VerifyAsync(id, Ct);
        Assert.True(report!.Ok, string.Join("; ", report.Problems));
        Assert.Equal(9, report.Versions);
    }
}

public class PartyStoreTests
{
    [Fact]
    public async Task A_party_looked_up_before_it_exists_is_found_once_registered()
    {
        await using var host = await BatteriesHost.StartAsync(TestDatabase.Sqlite);
        Assert.Null(await host.Parties.GetAsync("op-late", TestContext.Current.CancellationToken));
        var registered = await host.Parties.RegisterAsync(PartyRole.Operator, "Late", new PartyProfile(), TestContext.Current.CancellationToken, "op-late");
        Assert.NotNull(await host.Parties.GetAsync("op-late", TestContext.Current.CancellationToken));
        Assert.Equal("op-late", (await host.Parties.AuthenticateAsync(registered.Value.AccessKey, TestContext.Current.CancellationToken))!.Id);
        Assert.Null(await host.Parties.AuthenticateAsync("sbk_wrong", TestContext.Current.CancellationToken));
        Assert.Null(await host.Parties.AuthenticateAsync("not-a-key", TestContext.Current.CancellationToken));
        await host.Parties.RevokeAsync("op-late", TestContext.Current.CancellationToken);
        Assert.Null(await host.Parties.AuthenticateAsync(registered.Value.AccessKey, TestContext.Current.CancellationToken));
        await using var c = await host.Db.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM battery_parties WHERE key_hash LIKE 'sbk_%' OR profile LIKE '%sbk_%'"));
    }
}
