using Dapper;
using Socle.Platform.Storage;
using Socle.Testing;

namespace Socle.Platform.Tests;

public class DatabaseTests
{
    [Theory]
    [InlineData("Data Source=data/socle.db", DatabaseProvider.Sqlite)]
    [InlineData("data/socle.db", DatabaseProvider.Sqlite)]
    [InlineData("Host=127.0.0.1;Port=5432;Database=socle;Username=socle", DatabaseProvider.Postgres)]
    [InlineData("Server=db;Database=socle", DatabaseProvider.Postgres)]
    [InlineData("postgresql://socle:secret@db:5433/socle", DatabaseProvider.Postgres)]
    public void The_provider_is_read_from_the_connection_string(string connectionString, DatabaseProvider expected) =>
        Assert.Equal(expected, Database.DetectProvider(connectionString));

    [Fact]
    public void A_connection_string_naming_no_store_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Database.DetectProvider("Foo=bar"));
        Assert.Contains("neither a PostgreSQL server", e.Message);
    }

    [Fact]
    public void A_postgres_uri_becomes_a_connection_string_and_its_password_is_not_described()
    {
        var db = new Database("postgresql://socle:s3cret@db.example:5433/elections");
        Assert.Contains("Host=db.example", db.ConnectionString);
        Assert.Contains("Port=5433", db.ConnectionString);
        Assert.Contains("Database=elections", db.ConnectionString);
        Assert.Equal("postgres:db.example:5433/elections", db.Describe());
        Assert.DoesNotContain("s3cret", db.Describe());
    }

    [Fact]
    public async Task Sqlite_opens_in_wal_mode_with_foreign_keys_and_full_sync()
    {
        await using var t = await TestDatabase.CreateAsync(TestDatabase.Sqlite, TestContext.Current.CancellationToken);
        await using var c = await t.Database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(2L, await c.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 2 = FULL
    }

    [Theory, StorageProviders]
    public async Task A_failed_transaction_leaves_nothing_behind(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(provider, ct);
        await using (var c = await t.Database.OpenAsync(ct))
        {
            await c.ExecuteAsync("CREATE TABLE things (id TEXT PRIMARY KEY)");
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Database.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO things (id) VALUES ('a')", transaction: tx);
            throw new InvalidOperationException("boom");
        }, ct));
        await using var check = await t.Database.OpenAsync(ct);
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM things"));
    }

    [Fact]
    public void Instants_are_stored_as_sortable_utc_text_with_microseconds()
    {
        var instant = new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.FromHours(1)).AddTicks(1234567);
        var text = Sql.Time(instant);
        Assert.Equal("2026-03-01T09:30:00.123456Z", text);
        Assert.Equal(Sql.TruncateToMicroseconds(instant), Sql.ParseTime(text));
    }
}
