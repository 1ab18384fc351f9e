using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Heat.Import;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Storage;
using Socle.Modules.Heat.Weather;
using Socle.Platform;

namespace Socle.Modules.Heat.Services;

/// <summary>The use cases behind the API, the pages and the CLI: scenarios, runs, weather, imports.</summary>
public sealed class HeatService(HeatStore store, IOptions<HeatOptions> options, TimeProvider time, ILogger<HeatService> logger)
{
    private readonly SemaphoreSlim _gate = new(options.Value.MaxParallelSimulations);

    public HeatStore Store => store;

    /// <summary>Parses and checks a document: what every write goes through, so bad input never reaches the database.</summary>
    public Result<CompiledScenario> Check(Scenario scenario)
    {
        if (scenario.Network.Nodes.Count > options.Value.MaxNodes)
        {
            return Error.Validation("network.nodes", $"{scenario.Network.Nodes.Count} nodes: this server accepts at most {options.Value.MaxNodes} (Socle:Heat:MaxNodes)");
        }
        return CompiledScenario.Compile(scenario);
    }

    public async Task<Result<ScenarioRecord>> CreateAsync(Scenario scenario, CancellationToken ct, bool shipped = false)
    {
        var check = Check(scenario);
        if (!check.IsSuccess)
        {
            return check.Error;
        }
        var created = await store.CreateAsync(scenario, shipped, ct);
        if (created.IsSuccess)
        {
            Log.ScenarioCreated(logger, scenario.Id, created.Value.Version);
        }
        return created;
    }

    public async Task<Result<ScenarioRecord>> UpdateAsync(string id, Scenario scenario, long expectedVersion, CancellationToken ct)
    {
        var check = Check(scenario);
        if (!check.IsSuccess)
        {
            return check.Error;
        }
        var updated = await store.UpdateAsync(id, scenario, expectedVersion, ct);
        if (updated.IsSuccess)
        {
            Log.ScenarioUpdated(logger, id, updated.Value.Version);
        }
        return updated;
    }

    public async Task<Result<bool>> DeleteAsync(string id, CancellationToken ct)
    {
        var deleted = await store.DeleteAsync(id, ct);
        if (deleted.IsSuccess)
        {
            Log.ScenarioDeleted(logger, id);
        }
        return deleted;
    }

    public Task<Result<WeatherYear>> WeatherAsync(Scenario scenario, CancellationToken ct) =>
        WeatherSource.ResolveAsync(scenario.Climate.Source, store.GetWeatherAsync, ct);

    /// <summary>Simulates a scenario without storing anything (CLI files, studies, comparisons of drafts).</summary>
    public async Task<Result<(YearResult Year, IndicatorSet Indicators)>> SimulateAsync(Scenario scenario, IProgress<long>? progress, CancellationToken ct, WeatherYear? weather = null)
    {
        var compiled = Check(scenario);
        if (!compiled.IsSuccess)
        {
            return compiled.Error;
        }
        if (weather is null)
        {
            var resolved = await WeatherAsync(scenario, ct);
            if (!resolved.IsSuccess)
            {
                return resolved.Error;
            }
            weather = resolved.Value;
        }
        await _gate.WaitAsync(ct);
        try
        {
            var year = await Task.Run(() => YearSimulation.Run(compiled.Value, weather, new SimulationOptions { Progress = progress }, ct), ct);
            if (!year.IsSuccess)
            {
                Log.RunFailed(logger, scenario.Id, year.Error.Code);
                return year.Error;
            }
            return (year.Value, IndicatorCalculator.Compute(year.Value));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs a stored scenario and stores the run. A retried request with the same idempotency key returns the first run
    /// without simulating again.
    /// </summary>
    public async Task<Result<(RunReport Report, bool Replayed)>> RunAsync(string scenarioId, string? idempotencyKey, IProgress<long>? progress, CancellationToken ct)
    {
        if (idempotencyKey is { Length: > 200 })
        {
            return Error.Validation("Idempotency-Key", "is longer than 200 characters");
        }
        var record = await store.GetAsync(scenarioId, ct);
        if (record is null)
        {
            return Error.NotFound($"Scenario '{scenarioId}'");
        }
        if (idempotencyKey is not null && await store.FindRunByKeyAsync(idempotencyKey, ct) is { } earlier)
        {
            return earlier.ScenarioId == scenarioId
                ? (earlier, true)
                : Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for a run of another scenario.");
        }
        var simulated = await SimulateAsync(record.Document, progress, ct);
        if (!simulated.IsSuccess)
        {
            return simulated.Error;
        }
        var (year, indicators) = simulated.Value;
        var runId = NewRunId();
        var (report, hourly) = Reports.Build(runId, record.Version, time.GetUtcNow(), year, indicators);
        var saved = await store.SaveRunAsync(report, hourly, idempotencyKey, ct);
        if (saved.IsSuccess && !saved.Value.Replayed)
        {
            Log.RunCompleted(logger, runId, scenarioId, year.Seconds, year.Scenario.Network.NodeCount);
        }
        return saved;
    }

    public static string NewRunId() => "run-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>Stores the shipped scenarios that are not there yet (demo data, <c>socle heat seed</c>).</summary>
    public async Task<int> SeedShippedAsync(CancellationToken ct)
    {
        var count = 0;
        foreach (var s in ShippedScenarios.All)
        {
            if (await store.GetAsync(s.Id, ct) is null && (await CreateAsync(s, ct, shipped: true)).IsSuccess)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Reads a pandapipes JSON file into a scenario to complete (not stored).</summary>
    public static Result<Scenario> ImportPandapipes(string json, string id, string? name = null)
    {
        var net = PandapipesNet.Parse(json);
        return net.IsSuccess ? PandapipesToScenario.Convert(net.Value, id, name) : net.Error;
    }

    /// <summary>Reads and stores a weather CSV under <paramref name="id"/>; scenarios then name it <c>upload:&lt;id&gt;</c>.</summary>
    public async Task<Result<WeatherRecord>> UploadWeatherAsync(string id, string name, string csv, double latitude_deg, CancellationToken ct)
    {
        if (!CompiledScenario.IsValidId(id))
        {
            return Error.Validation("id", "must be 1 to 64 lowercase letters, digits or dashes");
        }
        if (latitude_deg is < 41 or > 52)
        {
            return Error.Validation("latitude_deg", "must be between 41 and 52 (metropolitan France)");
        }
        var year = WeatherYear.FromCsv(name, csv, latitude_deg);
        if (!year.IsSuccess)
        {
            return year.Error;
        }
        if (await store.GetWeatherAsync(id, ct) is not null)
        {
            return Error.Conflict("weather_exists", $"A weather set '{id}' already exists.");
        }
        return await store.SaveWeatherAsync(id, name, year.Value, ct);
    }
}
