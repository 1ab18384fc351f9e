using Dapper;
using Socle.Platform.Storage;
using Socle.Testing;

namespace Socle.Platform.Tests;

public class MigrationTests
{
    private static MigrationSet Shop(string secondScript = "CREATE TABLE shop_orders (id TEXT PRIMARY KEY, item_id TEXT NOT NULL REFERENCES shop_items (id))") =>
        MigrationSet.Inline("shop",
            (null, 1, "items", "CREATE TABLE shop_items (id TEXT PRIMARY KEY, name TEXT NOT NULL)"),
            (null, 2, "orders", secondScript),
            ("sqlite", 3, "index", "CREATE INDEX shop_orders_item ON shop_orders (item_id)"),
            ("postgres", 3, "index", "CREATE INDEX shop_orders_item ON shop_orders USING btree (item_id)"));

    [Theory, StorageProviders]
    public async Task Scripts_are_applied_in_order_once_and_recorded_with_a_checksum(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(provider, ct);
        var runner = new MigrationRunner(t.Database, new FakeClock());

        var first = await runner.RunAsync([Shop()], ct);
        Assert.Equal(["shop/0001_items", "shop/0002_orders", "shop/0003_index"], first.Applied);

        var second = await runner.RunAsync([Shop()], ct);
        Assert.Empty(second.Applied);
        Assert.Equal(3, second.AlreadyApplied);

        await using var c = await t.Database.OpenAsync(ct);
        var rows = (await c.QueryAsync<(string Module, long Version, string Checksum, string AppliedAt)>(
            "SELECT module, version, checksum, applied_at FROM socle_migrations ORDER BY version")).ToList();
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Version));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
        Assert.Equal(Shop().ScriptsFor(t.Database.Provider)[2].Checksum, rows[2].Checksum);
        Assert.Equal("2026-01-15T09:00:00.000000Z", rows[0].AppliedAt);
    }

    [Theory, StorageProviders]
    public async Task A_changed_applied_script_stops_the_run_before_anything_else_is_applied(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(provider, ct);
        var runner = new MigrationRunner(t.Database, TimeProvider.System);
        await runner.RunAsync([Shop()], ct);

        var edited = Shop("CREATE TABLE shop_orders (id TEXT PRIMARY KEY, item_id TEXT NOT NULL, quantity INTEGER)");
        var more = MigrationSet.Inline("other", (null, 1, "x", "CREATE TABLE other_x (id TEXT)"));
        var e = await Assert.ThrowsAsync<MigrationChangedException>(() => runner.RunAsync([edited, more], ct));
        Assert.Contains("shop/0002_orders", e.Message);
        Assert.Contains("changed after it was applied", e.Message);

        await using var c = await t.Database.OpenAsync(ct);
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM socle_migrations WHERE module = 'other'"));
    }

    [Fact]
    public void Line_endings_do_not_change_the_checksum()
    {
        var lf = new MigrationScript("m", 1, "a", "CREATE TABLE a (id TEXT);\nCREATE TABLE b (id TEXT);\n");
        var crlf = new MigrationScript("m", 1, "a", "CREATE TABLE a (id TEXT);\r\nCREATE TABLE b (id TEXT);\r\n");
        var other = new MigrationScript("m", 1, "a", "CREATE TABLE a (id TEXT);\nCREATE TABLE c (id TEXT);\n");
        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.NotEqual(lf.Checksum, other.Checksum);
    }

    [Theory, StorageProviders]
    public async Task A_failing_script_is_rolled_back_entirely_and_not_recorded(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(provider, ct);
        var runner = new MigrationRunner(t.Database, TimeProvider.System);
        var broken = MigrationSet.Inline("broken",
            (null, 1, "ok", "CREATE TABLE broken_ok (id TEXT)"),
            (null, 2, "half", "CREATE TABLE broken_half (id TEXT); INSERT INTO no_such_table VALUES (1);"));

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => runner.RunAsync([broken], ct));
        Assert.Contains("broken/0002_half", e.Message);

        await using var c = await t.Database.OpenAsync(ct);
        Assert.Equal(["broken"], await c.QueryAsync<string>("SELECT module FROM socle_migrations"));
        var tables = provider == TestDatabase.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'broken_half'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'broken_half'";
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>(tables));
    }

    [Theory, StorageProviders]
    public async Task Concurrent_runners_apply_each_script_once(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(provider, ct);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new MigrationRunner(t.Database, TimeProvider.System).RunAsync([Shop()], ct), ct)));
        Assert.Equal(3, runs.Sum(r => r.Applied.Count));
    }

    [Fact]
    public void The_platform_ships_its_journal_migration_for_both_providers()
    {
        var set = new MigrationSet("platform", typeof(Journal.Journal).Assembly);
        Assert.Equal("journal", Assert.Single(set.ScriptsFor(DatabaseProvider.Sqlite)).Name);
        Assert.Contains("plpgsql", Assert.Single(set.ScriptsFor(DatabaseProvider.Postgres)).Sql);
    }
}
