using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace Socle.Platform.Storage;

/// <summary>One numbered SQL script of a module, for one provider or for both.</summary>
public sealed record MigrationScript(string Module, int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a checkout with CRLF does not look changed.</summary>
    public string Checksum { get; } =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));
}

/// <summary>
/// The migrations of one module, read from its assembly's embedded resources:
/// <c>Migrations/0001_name.sql</c> for both providers, or <c>Migrations/sqlite/0001_name.sql</c> and
/// <c>Migrations/postgres/0001_name.sql</c> where the dialects differ (Directory.Build.targets embeds them).
/// </summary>
public sealed partial record MigrationSet(string Module, Assembly? Assembly)
{
    private IReadOnlyList<(string? Provider, MigrationScript Script)>? _inline;

    /// <summary>A set given as text rather than embedded resources (tests, tools). Provider is "sqlite", "postgres" or null for both.</summary>
    public static MigrationSet Inline(string module, params (string? Provider, int Version, string Name, string Sql)[] scripts) =>
        new(module, null) { _inline = scripts.Select(s => (s.Provider, new MigrationScript(module, s.Version, s.Name, s.Sql))).ToList() };

    [GeneratedRegex(@"^migrations/(?:(?<provider>sqlite|postgres)/)?(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    public IReadOnlyList<MigrationScript> ScriptsFor(DatabaseProvider provider)
    {
        var wanted = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var scripts = new SortedDictionary<int, MigrationScript>();
        if (_inline is not null)
        {
            foreach (var (_, script) in _inline.Where(i => i.Provider is null || i.Provider == wanted))
            {
                Add(script);
            }
            return [.. scripts.Values];
        }
        foreach (var resource in Assembly!.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            var scriptProvider = match.Groups["provider"].Value;
            if (scriptProvider.Length > 0 && scriptProvider != wanted)
            {
                continue;
            }
            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            Add(new MigrationScript(Module, version, match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return [.. scripts.Values];

        void Add(MigrationScript script)
        {
            if (!scripts.TryAdd(script.Version, script))
            {
                throw new InvalidOperationException(
                    $"Module {Module} has two migrations numbered {script.Version:D4} for {wanted}: {scripts[script.Version].Name} and {script.Name}.");
            }
        }
    }
}

/// <summary>An applied migration no longer matches its script: the database and the code disagree, so Socle refuses to start.</summary>
public sealed class MigrationChangedException(string message) : Exception(message);

/// <summary>A migration script failed; nothing of it was applied.</summary>
public sealed class MigrationFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>What one run applied.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, int AlreadyApplied);

/// <summary>
/// Applies numbered scripts in order, each in its own transaction together with its record
/// (module, version, name, checksum, time) in <c>socle_migrations</c>. Before anything runs, every applied
/// script is compared with its checksum: a changed script stops the run with <see cref="MigrationChangedException"/>.
/// Runs concurrently from several processes are safe: PostgreSQL takes an advisory lock, SQLite the write lock.
/// </summary>
public sealed class MigrationRunner(Database db, TimeProvider time)
{
    private const long AdvisoryLockKey = 0x50C1E_0001;

    public async Task<MigrationReport> RunAsync(IEnumerable<MigrationSet> sets, CancellationToken ct = default)
    {
        await EnsureTableAsync(ct);
        var plan = sets.SelectMany(s => s.ScriptsFor(db.Provider)).ToList();
        var recorded = await RecordedAsync(ct);

        foreach (var script in plan)
        {
            if (recorded.TryGetValue((script.Module, script.Version), out var checksum) && checksum != script.Checksum)
            {
                throw new MigrationChangedException(
                    $"Migration {script.Module}/{script.Version:D4}_{script.Name} was changed after it was applied " +
                    $"(recorded checksum {checksum[..12]}…, script now {script.Checksum[..12]}…). " +
                    "Restore the script, or add a new numbered migration instead of editing an applied one.");
            }
        }

        var applied = new List<string>();
        foreach (var script in plan.Where(s => !recorded.ContainsKey((s.Module, s.Version))))
        {
            if (await ApplyAsync(script, ct))
            {
                applied.Add($"{script.Module}/{script.Version:D4}_{script.Name}");
            }
        }
        return new MigrationReport(applied, plan.Count - applied.Count);
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (db.IsPostgres)
        {
            // concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog: take the lock first
            await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@k)", new { k = AdvisoryLockKey }, tx, cancellationToken: ct));
        }
        await c.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS socle_migrations (
                module TEXT NOT NULL,
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL,
                PRIMARY KEY (module, version)
            )
            """, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    private async Task<Dictionary<(string, int), string>> RecordedAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Module, long Version, string Checksum)>(
            new CommandDefinition("SELECT module, version, checksum FROM socle_migrations", cancellationToken: ct));
        return rows.ToDictionary(r => (r.Module, checked((int)r.Version)), r => r.Checksum);
    }

    private async Task<bool> ApplyAsync(MigrationScript script, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using DbTransaction tx = await c.BeginTransactionAsync(ct);
        if (db.IsPostgres)
        {
            await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@k)", new { k = AdvisoryLockKey }, tx, cancellationToken: ct));
        }
        var already = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM socle_migrations WHERE module = @Module AND version = @Version",
            new { script.Module, script.Version }, tx, cancellationToken: ct));
        if (already > 0)
        {
            return false; // another process applied it while we waited for the lock
        }
        try
        {
            await using (var command = c.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = script.Sql;
                await command.ExecuteNonQueryAsync(ct);
            }
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO socle_migrations (module, version, name, checksum, applied_at) VALUES (@Module, @Version, @Name, @Checksum, @At)",
                new { script.Module, script.Version, script.Name, script.Checksum, At = Sql.Time(time.GetUtcNow()) }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return true;
        }
        catch (DbException e)
        {
            throw new MigrationFailedException(
                $"Migration {script.Module}/{script.Version:D4}_{script.Name} failed on {db.Provider} and was rolled back: {e.Message}", e);
        }
    }
}
