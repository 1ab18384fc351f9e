using System.Text.Json.Nodes;
using Dapper;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Signing;
using Socle.Testing;

namespace Socle.Batteries.Tests.Registry;

/// <summary>History cannot be rewritten through the database, and whatever is changed behind its back is found by verification.</summary>
public class TamperingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(BatteriesHost Host, string Id)> ThreeVersionsAsync(string provider)
    {
        var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;
        for (var i = 2; i <= 3; i++)
        {
            host.Clock.Advance(TimeSpan.FromHours(1));
            var r = await host.Registry.UpdateAsync(op, id, new JsonObject { ["supplyChainDueDiligence"] = new JsonObject { ["supplyChainDueDiligenceReport"] = $"https://example.org/dd-{i}.pdf" } }, null, null, Ct);
            Assert.True(r.IsSuccess, r.Error?.Message);
        }
        Assert.True((await host.Registry.VerifyAsync(id, Ct))!.Ok);
        return (host, id);
    }

    /// <summary>What someone with write access to the database (bypassing the triggers) could do.</summary>
    private static async Task BehindTheRegistryAsync(BatteriesHost host, string sql, object args)
    {
        await using var c = await host.Db.OpenAsync(Ct);
        if (host.Db.IsPostgres)
        {
            await c.ExecuteAsync("ALTER TABLE battery_passport_versions DISABLE TRIGGER USER; ALTER TABLE battery_passports DISABLE TRIGGER USER");
            await c.ExecuteAsync(sql, args);
            await c.ExecuteAsync("ALTER TABLE battery_passport_versions ENABLE TRIGGER USER; ALTER TABLE battery_passports ENABLE TRIGGER USER");
        }
        else
        {
            await c.ExecuteAsync("DROP TRIGGER battery_passport_versions_no_update; DROP TRIGGER battery_passport_versions_no_delete; DROP TRIGGER battery_passports_forward_only");
            await c.ExecuteAsync(sql, args);
        }
    }

    [Theory, StorageProviders]
    public async Task The_database_refuses_to_change_or_delete_a_version_or_move_a_passport_back(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            await using var c = await host.Db.OpenAsync(Ct);
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE battery_passport_versions SET document = '{}' WHERE passport_id = @id AND version = 2", new { id }));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM battery_passport_versions WHERE passport_id = @id AND version = 3", new { id }));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE battery_passports SET current_version = 2 WHERE id = @id", new { id }));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM battery_passports WHERE id = @id", new { id }));
            Assert.True((await host.Registry.VerifyAsync(id, Ct))!.Ok);
        }
    }

    [Theory, StorageProviders]
    public async Task An_edited_document_fails_its_hash_and_signature(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            await BehindTheRegistryAsync(host, "UPDATE battery_passport_versions SET document = REPLACE(document, '\"batteryMass\":375', '\"batteryMass\":300') WHERE passport_id = @id AND version = 2", new { id });
            var report = (await host.Registry.VerifyAsync(id, Ct))!;
            Assert.False(report.Ok);
            Assert.Contains(report.Problems, p => p is { Version: 2, Kind: "hash_mismatch" });
            Assert.Contains(report.Problems, p => p is { Version: 2, Kind: "signature_invalid" });
            Assert.Contains(report.Problems, p => p is { Version: 2, Kind: "journal_mismatch" });
        }
    }

    [Theory, StorageProviders]
    public async Task A_forged_document_with_its_hash_recomputed_still_fails_signature_chain_and_journal(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            string forged;
            await using (var c = await host.Db.OpenAsync(Ct))
            {
                var original = await c.QuerySingleAsync<string>("SELECT document FROM battery_passport_versions WHERE passport_id = @id AND version = 2", new { id });
                forged = original.Replace("\"batteryMass\":375", "\"batteryMass\":300", StringComparison.Ordinal);
            }
            var hash = PassportVersion.Hash(System.Text.Encoding.UTF8.GetBytes(forged));
            await BehindTheRegistryAsync(host, "UPDATE battery_passport_versions SET document = @forged, hash = @hash WHERE passport_id = @id AND version = 2", new { forged, hash, id });
            var report = (await host.Registry.VerifyAsync(id, Ct))!;
            Assert.DoesNotContain(report.Problems, p => p.Kind == "hash_mismatch");
            Assert.Contains(report.Problems, p => p is { Version: 2, Kind: "signature_invalid" });
            Assert.Contains(report.Problems, p => p is { Version: 2, Kind: "journal_mismatch" });
            Assert.Contains(report.Problems, p => p is { Version: 3, Kind: "chain_broken" });
        }
    }

    [Theory, StorageProviders]
    public async Task A_swapped_signature_is_found(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            await BehindTheRegistryAsync(host,
                "UPDATE battery_passport_versions SET signature = (SELECT signature FROM battery_passport_versions WHERE passport_id = @id AND version = 1) WHERE passport_id = @id AND version = 3", new { id });
            var report = (await host.Registry.VerifyAsync(id, Ct))!;
            Assert.Equal([(3, "signature_invalid")], report.Problems.Select(p => (p.Version ?? 0, p.Kind)));
        }
    }

    [Theory, StorageProviders]
    public async Task A_document_resigned_with_another_operators_key_is_found(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            var intruder = await host.OperatorAsync("Intrus");
            var intruderKey = await host.Services.GetRequiredServiceAsync<SigningKeys>().CurrentAsync(intruder.Id, Ct);
            string document;
            await using (var c = await host.Db.OpenAsync(Ct))
            {
                document = await c.QuerySingleAsync<string>("SELECT document FROM battery_passport_versions WHERE passport_id = @id AND version = 3", new { id });
            }
            var signature = intruderKey.SignDetached(System.Text.Encoding.UTF8.GetBytes(document));
            await BehindTheRegistryAsync(host, "UPDATE battery_passport_versions SET signature = @signature, key_id = @kid WHERE passport_id = @id AND version = 3",
                new { signature, kid = intruderKey.KeyId, id });
            var report = (await host.Registry.VerifyAsync(id, Ct))!;
            var problem = Assert.Single(report.Problems);
            Assert.Equal("signature_invalid", problem.Kind);
            Assert.Contains($"belongs to {intruder.Id}", problem.Message);
        }
    }

    [Theory, StorageProviders]
    public async Task Removing_the_last_version_and_rewinding_the_passport_is_found_through_the_journal(string provider)
    {
        var (host, id) = await ThreeVersionsAsync(provider);
        await using (host)
        {
            await BehindTheRegistryAsync(host,
                "DELETE FROM battery_passport_versions WHERE passport_id = @id AND version = 3; " +
                "UPDATE battery_passports SET current_version = 2, current_hash = (SELECT hash FROM battery_passport_versions WHERE passport_id = @id AND version = 2) WHERE id = @id", new { id });
            var report = (await host.Registry.VerifyAsync(id, Ct))!;
            Assert.Equal(2, report.Versions);
            Assert.Contains(report.Problems, p => p is { Version: 3, Kind: "version_missing" });
        }
    }
}

internal static class ServiceProviderExtensions
{
    public static T GetRequiredServiceAsync<T>(this IServiceProvider services) where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(services);
}
