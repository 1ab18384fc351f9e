using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Weather;
using Socle.Platform;
using Socle.Platform.Storage;
using JournalLog = Socle.Platform.Journal.Journal;

namespace Socle.Modules.Heat.Storage;

public sealed record ScenarioRecord(string Id, string Name, NetworkKind Kind, long Version, bool Shipped, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, Scenario Document);

public sealed record RunListItem(string RunId, string ScenarioId, long ScenarioVersion, DateTimeOffset CreatedAt, double Seconds);

public sealed record WeatherRecord(string Id, string Name, double Latitude_deg, double Design_c, DateTimeOffset CreatedAt);

/// <summary>
/// Heat's tables: scenarios (the JSON document and its version), runs (report and packed hourly series), uploaded weather.
/// Every change of a scenario and every run is recorded in the hash-chained journal (stream <c>heat/scenario/&lt;id&gt;</c>)
/// in the same transaction, with the SHA-256 of the document — never the document itself.
/// </summary>
public sealed class HeatStore(Database db, JournalLog journal, TimeProvider time)
{
    public static string Stream(string scenarioId) => $"heat/scenario/{scenarioId}";

    /// <summary>A row as read (properties, so that Dapper converts INTEGER/BIGINT alike on both stores).</summary>
    private sealed record ScenarioRow
    {
        public ScenarioRow()
        {
        }

        public ScenarioRow(string id, string name, string kind, long version, long shipped, string createdAt, string updatedAt, string document)
        {
            Id = id;
            Name = name;
            Kind = kind;
            Version = version;
            Shipped = shipped;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            Document = document;
        }

        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Kind { get; set; } = "";

        public long Version { get; set; }

        public long Shipped { get; set; }

        public string CreatedAt { get; set; } = "";

        public string UpdatedAt { get; set; } = "";

        public string Document { get; set; } = "";
    }

    private static ScenarioRecord ToRecord(ScenarioRow r) => new(r.Id, r.Name, Enum.Parse<NetworkKind>(r.Kind, ignoreCase: true), r.Version, r.Shipped != 0,
        Sql.ParseTime(r.CreatedAt), Sql.ParseTime(r.UpdatedAt), JsonSerializer.Deserialize<Scenario>(r.Document, Scenario.Json)!);

    private const string ScenarioColumns = "id AS Id, name AS Name, kind AS Kind, version AS Version, shipped AS Shipped, created_at AS CreatedAt, updated_at AS UpdatedAt, document AS Document";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public async Task<IReadOnlyList<ScenarioRecord>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ScenarioRow>(new CommandDefinition($"SELECT {ScenarioColumns} FROM heat_scenarios ORDER BY shipped DESC, name", cancellationToken: ct));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<ScenarioRecord?> GetAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ScenarioRow>(new CommandDefinition($"SELECT {ScenarioColumns} FROM heat_scenarios WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : ToRecord(row);
    }

    /// <summary>
    /// Stores a new scenario. Creating again exactly the same document is a no-op that returns the stored one (a retried
    /// request); a different document under an existing id is a conflict.
    /// </summary>
    public async Task<Result<ScenarioRecord>> CreateAsync(Scenario scenario, bool shipped, CancellationToken ct)
    {
        var document = scenario.ToJson();
        var now = Sql.Time(time.GetUtcNow());
        return await db.InTransactionAsync<Result<ScenarioRecord>>(async (c, tx) =>
        {
            var existing = await c.QuerySingleOrDefaultAsync<ScenarioRow>(new CommandDefinition(
                $"SELECT {ScenarioColumns} FROM heat_scenarios WHERE id = @id{db.ForUpdate()}", new { id = scenario.Id }, tx, cancellationToken: ct));
            if (existing is not null)
            {
                return existing.Document == document
                    ? ToRecord(existing)
                    : Error.Conflict("scenario_exists", $"A scenario '{scenario.Id}' already exists (version {existing.Version}); update it or choose another id.");
            }
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO heat_scenarios (id, name, kind, version, document, shipped, created_at, updated_at) VALUES (@Id, @Name, @Kind, 1, @Document, @Shipped, @Now, @Now)",
                new { scenario.Id, scenario.Name, Kind = scenario.Kind.ToString().ToLowerInvariant(), Document = document, Shipped = shipped ? 1 : 0, Now = now }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, Stream(scenario.Id), "heat.scenario.created",
                JsonSerializer.Serialize(new { version = 1, sha256 = Hash(document), shipped }), ct);
            return ToRecord(new ScenarioRow(scenario.Id, scenario.Name, scenario.Kind.ToString(), 1, shipped ? 1 : 0, now, now, document));
        }, ct);
    }

    /// <summary>Replaces a scenario's document if its version is still <paramref name="expectedVersion"/> (optimistic concurrency).</summary>
    public async Task<Result<ScenarioRecord>> UpdateAsync(string id, Scenario scenario, long expectedVersion, CancellationToken ct)
    {
        if (scenario.Id != id)
        {
            return Error.Validation("id", $"the document's id '{scenario.Id}' differs from the scenario's '{id}'");
        }
        var document = scenario.ToJson();
        var now = Sql.Time(time.GetUtcNow());
        return await db.InTransactionAsync<Result<ScenarioRecord>>(async (c, tx) =>
        {
            var existing = await c.QuerySingleOrDefaultAsync<ScenarioRow>(new CommandDefinition(
                $"SELECT {ScenarioColumns} FROM heat_scenarios WHERE id = @id{db.ForUpdate()}", new { id }, tx, cancellationToken: ct));
            if (existing is null)
            {
                return Error.NotFound($"Scenario '{id}'");
            }
            if (existing.Version != expectedVersion)
            {
                return existing.Version == expectedVersion + 1 && existing.Document == document
                    ? ToRecord(existing) // the same change, retried
                    : Error.Conflict("version_conflict", $"Scenario '{id}' is at version {existing.Version}, not {expectedVersion}: someone changed it; reload and apply your change again.");
            }
            if (existing.Document == document)
            {
                return ToRecord(existing);
            }
            var version = existing.Version + 1;
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE heat_scenarios SET name = @Name, kind = @Kind, version = @Version, document = @Document, updated_at = @Now WHERE id = @Id",
                new { Id = id, scenario.Name, Kind = scenario.Kind.ToString().ToLowerInvariant(), Version = version, Document = document, Now = now }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, Stream(id), "heat.scenario.updated", JsonSerializer.Serialize(new { version, sha256 = Hash(document) }), ct);
            return ToRecord(existing with { Name = scenario.Name, Kind = scenario.Kind.ToString(), Version = version, Document = document, UpdatedAt = now });
        }, ct);
    }

    public async Task<Result<bool>> DeleteAsync(string id, CancellationToken ct)
    {
        return await db.InTransactionAsync<Result<bool>>(async (c, tx) =>
        {
            var version = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                $"SELECT version FROM heat_scenarios WHERE id = @id{db.ForUpdate()}", new { id }, tx, cancellationToken: ct));
            if (version is null)
            {
                return Error.NotFound($"Scenario '{id}'");
            }
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM heat_scenarios WHERE id = @id", new { id }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, Stream(id), "heat.scenario.deleted", JsonSerializer.Serialize(new { version }), ct);
            return true;
        }, ct);
    }

    private sealed class RunRow
    {
        public string Id { get; set; } = "";

        public string ScenarioId { get; set; } = "";

        public long ScenarioVersion { get; set; }

        public string CreatedAt { get; set; } = "";

        public double Seconds { get; set; }

        public string Summary { get; set; } = "";

        public string Hourly { get; set; } = "";
    }

    /// <summary>
    /// Stores a run. With an idempotency key already used for this scenario, the run stored then is returned instead and
    /// nothing is written (a retried request); the same key on another scenario is a conflict.
    /// </summary>
    public async Task<Result<(RunReport Report, bool Replayed)>> SaveRunAsync(RunReport report, HourlyReport hourly, string? idempotencyKey, CancellationToken ct)
    {
        var summary = JsonSerializer.Serialize(report, RunReport.Json);
        return await db.InTransactionAsync<Result<(RunReport, bool)>>(async (c, tx) =>
        {
            if (idempotencyKey is not null)
            {
                var previous = await c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
                    "SELECT id AS Id, scenario_id AS ScenarioId, scenario_version AS ScenarioVersion, created_at AS CreatedAt, seconds AS Seconds, summary AS Summary, '' AS Hourly FROM heat_runs WHERE idempotency_key = @idempotencyKey",
                    new { idempotencyKey }, tx, cancellationToken: ct));
                if (previous is not null)
                {
                    return previous.ScenarioId == report.ScenarioId
                        ? (JsonSerializer.Deserialize<RunReport>(previous.Summary, RunReport.Json)!, true)
                        : Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for a run of another scenario.");
                }
            }
            var exists = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM heat_scenarios WHERE id = @ScenarioId", new { report.ScenarioId }, tx, cancellationToken: ct));
            if (exists == 0)
            {
                return Error.NotFound($"Scenario '{report.ScenarioId}'");
            }
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO heat_runs (id, scenario_id, scenario_version, idempotency_key, created_at, seconds, summary, hourly) VALUES (@RunId, @ScenarioId, @ScenarioVersion, @Key, @CreatedAt, @Seconds, @Summary, @Hourly)",
                new { report.RunId, report.ScenarioId, report.ScenarioVersion, Key = idempotencyKey, CreatedAt = Sql.Time(report.CreatedAt), report.Seconds, Summary = summary, Hourly = hourly.Pack() },
                tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, Stream(report.ScenarioId), "heat.run.completed", JsonSerializer.Serialize(new
            {
                run = report.RunId,
                version = report.ScenarioVersion,
                sha256 = Hash(summary),
                delivered_mwh = Math.Round(report.Indicators.Delivered_mwh, 3),
                enrr_rate = Math.Round(report.Indicators.EnrrRate, 5),
            }), ct);
            return (report, false);
        }, ct);
    }

    public async Task<RunReport?> FindRunByKeyAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var summary = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT summary FROM heat_runs WHERE idempotency_key = @idempotencyKey", new { idempotencyKey }, cancellationToken: ct));
        return summary is null ? null : JsonSerializer.Deserialize<RunReport>(summary, RunReport.Json);
    }

    public async Task<RunReport?> GetRunAsync(string runId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var summary = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT summary FROM heat_runs WHERE id = @runId", new { runId }, cancellationToken: ct));
        return summary is null ? null : JsonSerializer.Deserialize<RunReport>(summary, RunReport.Json);
    }

    public async Task<HourlyReport?> GetHourlyAsync(string runId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var packed = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT hourly FROM heat_runs WHERE id = @runId", new { runId }, cancellationToken: ct));
        return packed is null ? null : HourlyReport.Unpack(packed);
    }

    public async Task<IReadOnlyList<RunListItem>> RunsAsync(string? scenarioId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<RunRow>(new CommandDefinition(
            "SELECT id AS Id, scenario_id AS ScenarioId, scenario_version AS ScenarioVersion, created_at AS CreatedAt, seconds AS Seconds, '' AS Summary, '' AS Hourly FROM heat_runs " +
            (scenarioId is null ? "" : "WHERE scenario_id = @scenarioId ") + "ORDER BY created_at DESC, id DESC", new { scenarioId }, cancellationToken: ct));
        return [.. rows.Select(r => new RunListItem(r.Id, r.ScenarioId, r.ScenarioVersion, Sql.ParseTime(r.CreatedAt), r.Seconds))];
    }

    public async Task<RunReport?> LatestRunAsync(string scenarioId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var summary = await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT summary FROM heat_runs WHERE scenario_id = @scenarioId ORDER BY created_at DESC, id DESC", new { scenarioId }, cancellationToken: ct));
        return summary is null ? null : JsonSerializer.Deserialize<RunReport>(summary, RunReport.Json);
    }

    public async Task<WeatherRecord> SaveWeatherAsync(string id, string name, WeatherYear year, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO heat_weather (id, name, latitude_deg, design_c, csv, created_at) VALUES (@id, @name, @lat, @design, @csv, @now)",
            new { id, name, lat = year.Latitude_deg, design = year.Design_c, csv = year.ToCsv(), now = Sql.Time(now) }, cancellationToken: ct));
        return new WeatherRecord(id, name, year.Latitude_deg, year.Design_c, now);
    }

    private sealed class WeatherRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public double Latitude { get; set; }

        public double Design { get; set; }

        public string Csv { get; set; } = "";

        public string CreatedAt { get; set; } = "";
    }

    public async Task<WeatherYear?> GetWeatherAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<WeatherRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, latitude_deg AS Latitude, design_c AS Design, csv AS Csv, created_at AS CreatedAt FROM heat_weather WHERE id = @id", new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var parsed = WeatherYear.FromCsv(row.Name, row.Csv, row.Latitude, row.Design);
        return parsed.IsSuccess ? parsed.Value with { Source = $"uploaded weather '{row.Id}'" } : null;
    }

    public async Task<IReadOnlyList<WeatherRecord>> WeatherListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<WeatherRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, latitude_deg AS Latitude, design_c AS Design, '' AS Csv, created_at AS CreatedAt FROM heat_weather ORDER BY id", cancellationToken: ct));
        return [.. rows.Select(r => new WeatherRecord(r.Id, r.Name, r.Latitude, r.Design, Sql.ParseTime(r.CreatedAt)))];
    }

}
