using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Heat.Access;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Storage;
using Socle.Platform;

namespace Socle.Modules.Heat.Api;

/// <summary>Runs: simulate a stored scenario (idempotent with Idempotency-Key), read a run, export its hours as CSV or JSON.</summary>
internal static class RunEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var read = api.MapGroup("").AddEndpointFilter<RequireReader>();
        var write = api.MapGroup("").AddEndpointFilter<RequireEditorKey>();
        write.MapPost("/scenarios/{id}/runs", Run).WithName("HeatRunScenario")
            .WithSummary("Simulate the year of a stored scenario and store the run (editor key; Idempotency-Key makes retries safe)");
        write.MapPost("/simulate", Simulate).WithName("HeatSimulateDocument").WithSummary("Simulate a scenario document without storing it (editor key)");
        read.MapGet("/scenarios/{id}/runs", Runs).WithName("HeatListRuns").WithSummary("Runs of a scenario, newest first");
        read.MapGet("/runs/{runId}", Get).WithName("HeatGetRun").WithSummary("A run: indicators, units, substations, warnings");
        read.MapGet("/runs/{runId}/hourly.csv", HourlyCsv).WithName("HeatRunHourlyCsv").WithSummary("The run's 8760 hours as CSV");
        read.MapGet("/runs/{runId}/hourly.json", HourlyJson).WithName("HeatRunHourlyJson").WithSummary("The run's 8760 hours as JSON series");
    }

    private static async Task<IResult> Run(string id, HttpRequest request, HeatService service, CancellationToken ct)
    {
        var key = request.Headers.TryGetValue("Idempotency-Key", out var k) ? k.ToString() : null;
        var result = await service.RunAsync(id, string.IsNullOrWhiteSpace(key) ? null : key, null, ct);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem();
        }
        var (report, replayed) = result.Value;
        request.HttpContext.Response.Headers.Location = $"/api/heat/runs/{report.RunId}";
        return new HeatJson<RunReport>(report, replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> Simulate(HttpRequest request, HeatService service, IOptions<HeatOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var parsed = ShippedScenarios.Parse(text!);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.ToProblem();
        }
        var simulated = await service.SimulateAsync(parsed.Value, null, ct);
        if (!simulated.IsSuccess)
        {
            return simulated.Error.ToProblem();
        }
        var (report, _) = Reports.Build("draft", 0, time.GetUtcNow(), simulated.Value.Year, simulated.Value.Indicators);
        return new HeatJson<RunReport>(report);
    }

    private static async Task<Results<HeatJson<IReadOnlyList<RunListItem>>, ProblemHttpResult>> Runs(string id, HeatStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null)
        {
            return Error.NotFound($"Scenario '{id}'").ToProblem();
        }
        return new HeatJson<IReadOnlyList<RunListItem>>(await store.RunsAsync(id, ct));
    }

    private static async Task<Results<HeatJson<RunReport>, ProblemHttpResult>> Get(string runId, HeatStore store, CancellationToken ct)
    {
        var run = await store.GetRunAsync(runId, ct);
        return run is null ? Error.NotFound($"Run '{runId}'").ToProblem() : new HeatJson<RunReport>(run);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> HourlyCsv(string runId, HeatStore store, HttpResponse response, CancellationToken ct)
    {
        var run = await store.GetRunAsync(runId, ct);
        var hourly = run is null ? null : await store.GetHourlyAsync(runId, ct);
        if (run is null || hourly is null)
        {
            return Error.NotFound($"Run '{runId}'").ToProblem();
        }
        var scenario = await store.GetAsync(run.ScenarioId, ct);
        response.Headers.ContentDisposition = $"attachment; filename=\"{run.ScenarioId}-{run.RunId}.csv\"";
        return TypedResults.Content(hourly.ToCsv(scenario?.Document.Year ?? 2025), "text/csv; charset=utf-8");
    }

    private static async Task<Results<HeatJson<HourlyReport>, ProblemHttpResult>> HourlyJson(string runId, HeatStore store, CancellationToken ct)
    {
        var hourly = await store.GetHourlyAsync(runId, ct);
        return hourly is null ? Error.NotFound($"Run '{runId}'").ToProblem() : new HeatJson<HourlyReport>(hourly);
    }
}
