using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Socle.Platform.Storage;

namespace Socle.Modules.Voting.Service;

/// <summary>
/// Each election lives in its own database: a SQLite file <c>elections/&lt;id&gt;.db</c> next to the main database, or a
/// PostgreSQL schema <c>election_&lt;id&gt;</c> in the main database (its connections search only that schema). Its
/// board, voters, émargement list, trustees and its own journal are there, so an election can be served by its own
/// process, archived as a whole and destroyed without touching any other.
/// </summary>
public sealed class ElectionStore(Database main, IOptions<VotingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Database> _open = new(StringComparer.Ordinal);

    /// <summary>Where an election's data lives, for the catalog and for people (no credentials).</summary>
    public string Location(string id) => main.IsPostgres ? $"postgres schema {SchemaName(id)}" : SqlitePath(id);

    public static string SchemaName(string id) => "election_" + id.ToLowerInvariant();

    private string SqlitePath(string id)
    {
        var dir = options.Value.ElectionsDirectory;
        if (string.IsNullOrWhiteSpace(dir))
        {
            var source = new SqliteConnectionStringBuilder(main.ConnectionString).DataSource;
            dir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source is "" or ":memory:" ? "data/socle.db" : source))!, "elections");
        }
        return Path.Combine(Path.GetFullPath(dir), id + ".db");
    }

    /// <summary>Creates the election's database and its tables (idempotent).</summary>
    public async Task<Database> CreateAsync(string id, CancellationToken ct = default)
    {
        if (main.IsPostgres)
        {
            await using var c = await main.OpenAsync(ct);
            await c.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SchemaName(id)}");
        }
        var db = Open(id);
        var runner = new MigrationRunner(db, time);
        await runner.RunAsync([new MigrationSet("platform", typeof(Platform.Hosting.PlatformHosting).Assembly), ElectionSchema.Set], ct);
        return db;
    }

    /// <summary>The election's database (it must exist).</summary>
    public Database Open(string id) => _open.GetOrAdd(id, key =>
    {
        if (main.IsPostgres)
        {
            var b = new NpgsqlConnectionStringBuilder(main.ConnectionString) { SearchPath = SchemaName(key) };
            return new Database(b.ToString());
        }
        return new Database($"Data Source={SqlitePath(key)}");
    });

    /// <summary>Removes the election's database for good (destruction after the appeal period).</summary>
    public async Task DestroyAsync(string id, CancellationToken ct = default)
    {
        _open.TryRemove(id, out _);
        if (main.IsPostgres)
        {
            await using var c = await main.OpenAsync(ct);
            await c.ExecuteAsync($"DROP SCHEMA IF EXISTS {SchemaName(id)} CASCADE");
            return;
        }
        SqliteConnection.ClearAllPools();
        var path = SqlitePath(id);
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(f))
            {
                File.Delete(f);
            }
        }
    }
}

/// <summary>The tables of one election's database.</summary>
internal static class ElectionSchema
{
    private const string Common = """
        -- Settings of this election: its definition, state, election.json, trustees.json, the sealed archive hash.
        CREATE TABLE election_settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);

        -- The electoral roll. credential is the voter's public credential (never the private one); voted_at and
        -- ballots make the émargement list (who voted and when, never how). paper: voted on paper (mixed elections).
        CREATE TABLE voters (
            voter_id TEXT PRIMARY KEY,
            email TEXT,
            name TEXT,
            weight BIGINT NOT NULL,
            credential TEXT UNIQUE,
            password_hash TEXT,
            paper BIGINT NOT NULL DEFAULT 0,
            voted_at TEXT,
            ballots BIGINT NOT NULL DEFAULT 0,
            last_tracking TEXT
        );

        -- The bureau's trustees; idx is the owner number on the board (1 is the server's own share).
        CREATE TABLE trustees (
            idx BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT,
            token_hash TEXT,
            public_key TEXT,
            is_server BIGINT NOT NULL DEFAULT 0,
            decrypted_at TEXT,
            partial TEXT
        );

        -- The public board in order: every record of the .bel archive (name and content), nothing else.
        CREATE TABLE board (seq BIGINT PRIMARY KEY, name TEXT NOT NULL, content TEXT NOT NULL);
        CREATE INDEX board_name ON board (name);
        CREATE TABLE board_head (id INTEGER PRIMARY KEY CHECK (id = 1), head TEXT NOT NULL, height BIGINT NOT NULL, last_type TEXT NOT NULL, timestamp BIGINT NOT NULL, next_seq BIGINT NOT NULL);

        -- Ballots on the board by tracking number (for revote, replay detection and the public ballot box).
        CREATE TABLE ballots (tracking TEXT PRIMARY KEY, credential TEXT NOT NULL, data_name TEXT NOT NULL, height BIGINT NOT NULL, cast_at TEXT NOT NULL);

        -- Receipts by idempotency key: a retried cast gets the same receipt, never a second ballot.
        CREATE TABLE casts (idempotency_key TEXT PRIMARY KEY, voter_id TEXT NOT NULL, tracking TEXT NOT NULL, height BIGINT NOT NULL, cast_at TEXT NOT NULL);

        CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, voter_id TEXT NOT NULL, expires_at TEXT NOT NULL);
        CREATE TABLE codes (voter_id TEXT PRIMARY KEY, code_hash TEXT NOT NULL, expires_at TEXT NOT NULL, attempts BIGINT NOT NULL);
        CREATE TABLE alerts (id BIGINT PRIMARY KEY, at TEXT NOT NULL, message TEXT NOT NULL);
        """;

    // Ballots are about 5 KB of JSON that PostgreSQL's default compression (pglz) tries, and mostly fails, to shrink on
    // every cast: kept out of line uncompressed instead (about a quarter of PostgreSQL's CPU while casting).
    private const string BoardUncompressed = "ALTER TABLE board ALTER COLUMN content SET STORAGE EXTERNAL;";

    public static readonly MigrationSet Set = MigrationSet.Inline("election", (null, 1, "election", Common), ("postgres", 2, "board_uncompressed", BoardUncompressed));
}
