using Npgsql;
using Socle.Platform.Storage;

namespace Socle.Testing;

/// <summary>
/// A fresh, empty database for one test: a temporary SQLite file, or a new database in the PostgreSQL cluster that
/// ./test.sh starts (its admin connection string is in SOCLE_TEST_POSTGRES). Dropped when disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteDirectory;
    private readonly string? _postgresName;

    private TestDatabase(Database database, string? sqliteDirectory, string? postgresName)
    {
        Database = database;
        _sqliteDirectory = sqliteDirectory;
        _postgresName = postgresName;
    }

    public Database Database { get; }

    public string ConnectionString => Database.ConnectionString;

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The admin connection string of the test cluster, or null when none is configured.</summary>
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("SOCLE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Why PostgreSQL cases are skipped, or null when they run. Under ./test.sh (SOCLE_REQUIRE_POSTGRES=1) they always run.</summary>
    public static string? PostgresSkipReason =>
        PostgresAdmin is not null || Environment.GetEnvironmentVariable("SOCLE_REQUIRE_POSTGRES") == "1"
            ? null
            : "PostgreSQL is not configured (SOCLE_TEST_POSTGRES); ./test.sh starts a cluster and runs these cases";

    public static async Task<TestDatabase> CreateAsync(string provider, CancellationToken ct = default)
    {
        if (provider == Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("socle-test-");
            return new TestDatabase(new Database($"Data Source={Path.Combine(dir.FullName, "test.db")}"), dir.FullName, null);
        }
        if (provider != Postgres)
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres");
        }
        var admin = PostgresAdmin ?? throw new InvalidOperationException(
            "SOCLE_TEST_POSTGRES is not set: PostgreSQL tests need the cluster that ./test.sh starts.");
        var name = $"t_{Guid.NewGuid():N}";
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true };
        return new TestDatabase(new Database(builder.ToString()), null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still open by a background task; the temp folder is cleaned by the OS
            }
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(PostgresAdmin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
