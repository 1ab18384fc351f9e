using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Socle.Platform.Storage;

/// <summary>
/// One way to open connections, whatever the store. The provider is read from the connection string:
/// <c>Host=...</c> or a <c>postgres://</c> URI is PostgreSQL, <c>Data Source=...</c> or a path ending in <c>.db</c> is SQLite.
/// </summary>
/// <remarks>
/// SQLite connections are opened in WAL mode with foreign keys on, a busy timeout and <c>synchronous=FULL</c>,
/// so that a committed transaction survives a crash of the process or of the machine.
/// Write transactions on SQLite begin IMMEDIATE: writers queue on the database lock instead of failing on upgrade.
/// </remarks>
public sealed class Database
{
    private readonly NpgsqlDataSource? _postgres;

    public Database(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Provider = DetectProvider(connectionString);
        if (Provider == DatabaseProvider.Postgres)
        {
            ConnectionString = NormalisePostgres(connectionString);
            _postgres = NpgsqlDataSource.Create(ConnectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(NormaliseSqlite(connectionString));
            if (builder.DataSource is not (":memory:" or "") && builder.Mode != SqliteOpenMode.Memory)
            {
                var full = Path.GetFullPath(builder.DataSource);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                builder.DataSource = full;
            }
            builder.Pooling = true;
            builder.DefaultTimeout = 30;
            ConnectionString = builder.ToString();
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>A short description for logs and /health, without credentials.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return $"sqlite:{new SqliteConnectionStringBuilder(ConnectionString).DataSource}";
        }
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres:{b.Host}:{b.Port}/{b.Database}";
    }

    public static DatabaseProvider DetectProvider(string connectionString)
    {
        var s = connectionString.Trim();
        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }
        if (s.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase) || s == ":memory:")
        {
            return DatabaseProvider.Sqlite;
        }
        var keys = s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet();
        if (keys.Contains("host") || keys.Contains("server"))
        {
            return DatabaseProvider.Postgres;
        }
        if (keys.Contains("data source") || keys.Contains("datasource") || keys.Contains("filename"))
        {
            return DatabaseProvider.Sqlite;
        }
        throw new ArgumentException(
            "The connection string names neither a PostgreSQL server (Host=...) nor a SQLite file (Data Source=...).",
            nameof(connectionString));
    }

    private static string NormaliseSqlite(string s) =>
        s.Contains('=') ? s : $"Data Source={s}";

    private static string NormalisePostgres(string s)
    {
        if (!s.Contains("://", StringComparison.Ordinal))
        {
            return s;
        }
        var uri = new Uri(s);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                b.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        return b.ToString();
    }

    /// <summary>Opens a connection, configured for this store.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it; any exception rolls everything back.
    /// On PostgreSQL the isolation is READ COMMITTED unless asked otherwise; on SQLite the transaction holds the write lock.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, Task<T>> work,
        CancellationToken ct = default,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = Provider == DatabaseProvider.Sqlite
            ? await connection.BeginTransactionAsync(ct)
            : await connection.BeginTransactionAsync(isolation, ct);
        var result = await work(connection, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct);
}
