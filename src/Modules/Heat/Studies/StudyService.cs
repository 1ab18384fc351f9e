using Socle.Modules.Heat.Forecast;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Storage;
using Socle.Platform;

namespace Socle.Modules.Heat.Studies;

/// <summary>Studies and forecasts on stored scenarios: variants simulated next to their base, nothing stored.</summary>
public sealed class StudyService(HeatService heat, HeatStore store)
{
    public async Task<Result<StudyResult>> LowTemperatureAsync(string id, LowTemperatureRequest request, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return Error.NotFound($"Scenario '{id}'");
        }
        var variant = StudyVariants.LowTemperature(record.Document, request);
        if (!variant.IsSuccess)
        {
            return variant.Error;
        }
        return await CompareAsync("low-temperature", record.Document, [("low-temperature", variant.Value)],
            [$"Supply lowered by {request.SupplyDrop_k:0} K and return by {request.ReturnDrop_k:0} K: losses fall with the pipes' temperature, heat pumps gain COP; substations and emitters must accept it."], ct);
    }

    public async Task<Result<StudyResult>> DensificationAsync(string id, DensificationRequest request, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return Error.NotFound($"Scenario '{id}'");
        }
        if (request.Densification.Count == 0 && request.Extension is null)
        {
            return Error.Validation("densification", "give buildings to connect along the network, an extension, or both");
        }
        var variants = StudyVariants.Densification(record.Document, request);
        if (!variants.IsSuccess)
        {
            return variants.Error;
        }
        var list = new List<(string, Scenario)>();
        if (request.Densification.Count > 0)
        {
            list.Add(("densification", variants.Value.Densified));
        }
        if (variants.Value.Extended is { } extended)
        {
            list.Add(("extension", extended));
        }
        return await CompareAsync("densification-vs-extension", record.Document, list,
            ["Densification adds service pipes only; extension adds street pipes. New pipes and substations count in the investment; payback is against the subscribers' individual gas boilers."], ct);
    }

    private async Task<Result<StudyResult>> CompareAsync(string study, Scenario baseScenario, IReadOnlyList<(string Name, Scenario Scenario)> variants, IReadOnlyList<string> notes, CancellationToken ct)
    {
        var baseRun = await heat.SimulateAsync(baseScenario, null, ct);
        if (!baseRun.IsSuccess)
        {
            return baseRun.Error;
        }
        var results = new List<VariantResult>();
        foreach (var (name, scenario) in variants)
        {
            var run = await heat.SimulateAsync(scenario, null, ct);
            if (!run.IsSuccess)
            {
                return new Error(run.Error.Kind, run.Error.Code, $"{name}: {run.Error.Message}", run.Error.Fields);
            }
            results.Add(StudyVariants.Compare(name, scenario, run.Value.Indicators, baseRun.Value.Indicators, baseScenario.Economics));
        }
        return new StudyResult(study, ScenarioSummary.From(baseScenario, baseRun.Value.Indicators), results, notes);
    }

    public async Task<Result<DayForecast>> ForecastAsync(string id, Api.ForecastRequest request, CancellationToken ct)
    {
        LoadHistory history;
        if (request.HistoryCsv is { Length: > 0 } csv)
        {
            var parsed = LoadHistory.FromCsv(csv, request.HistoryYear);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }
            history = parsed.Value;
        }
        else
        {
            var record = await store.GetAsync(id, ct);
            if (record is null)
            {
                return Error.NotFound($"Scenario '{id}'");
            }
            var run = await store.LatestRunAsync(id, ct);
            if (run is null)
            {
                return Error.Conflict("no_run", $"Scenario '{id}' has no simulated year to learn from: run it, or send a measured history (history_csv).");
            }
            var hourly = await store.GetHourlyAsync(run.RunId, ct);
            history = new LoadHistory(record.Document.Year, hourly!["plant_load_kw"], hourly["outdoor_c"]);
        }
        return LoadForecaster.Forecast(history, request.Forecast_c, request.TestDays);
    }
}
