using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Heat.Access;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Storage;
using Socle.Platform;

namespace Socle.Modules.Heat.Api;

public sealed record ScenarioListItem(string Id, string Name, NetworkKind Kind, long Version, bool Shipped, DateTimeOffset UpdatedAt,
    int Substations, double Production_kw, double Trench_m, LastRun? LastRun);

public sealed record LastRun(string RunId, DateTimeOffset CreatedAt, double Delivered_mwh, double EnrrRate, double Co2LifeCycle_kg_per_kwh, bool Classable);

public sealed record ScenarioResponse(string Id, string Name, NetworkKind Kind, long Version, bool Shipped, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, Scenario Document);

public sealed record ValidationResponse(bool Valid, int Nodes, int Pipes, int Substations, double Trench_m, double Production_kw);

/// <summary>Scenarios: list, read, create, update (optimistic version in If-Match), delete, validate a draft.</summary>
internal static class ScenarioEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var read = api.MapGroup("").AddEndpointFilter<RequireReader>();
        var write = api.MapGroup("").AddEndpointFilter<RequireEditorKey>();

        read.MapGet("/scenarios", List).WithName("HeatListScenarios").WithSummary("List scenarios with their last run");
        read.MapGet("/scenarios/{id}", Get).WithName("HeatGetScenario").WithSummary("A scenario and its JSON document");
        read.MapGet("/scenarios/{id}/document", Document).WithName("HeatScenarioDocument").WithSummary("The scenario file (socle-heat-scenario/1)");
        read.MapPost("/validate", Validate).WithName("HeatValidateScenario").WithSummary("Check a scenario document without storing it");
        write.MapPost("/scenarios", Create).WithName("HeatCreateScenario").WithSummary("Store a new scenario (editor key)");
        write.MapPut("/scenarios/{id}", Update).WithName("HeatUpdateScenario").WithSummary("Replace a scenario; If-Match: its current version (editor key)");
        write.MapDelete("/scenarios/{id}", Delete).WithName("HeatDeleteScenario").WithSummary("Delete a scenario and its runs (editor key)");
    }

    private static async Task<HeatJson<List<ScenarioListItem>>> List(HeatStore store, CancellationToken ct)
    {
        var list = new List<ScenarioListItem>();
        foreach (var r in await store.ListAsync(ct))
        {
            var last = await store.LatestRunAsync(r.Id, ct);
            list.Add(new ScenarioListItem(r.Id, r.Name, r.Kind, r.Version, r.Shipped, r.UpdatedAt, r.Document.Substations.Count,
                r.Document.Production.Sum(u => u.Capacity_kw), r.Document.Network.Pipes.Sum(p => p.Length_m ?? 0),
                last is null ? null : new LastRun(last.RunId, last.CreatedAt, last.Indicators.Delivered_mwh, last.Indicators.EnrrRate,
                    last.Indicators.Co2LifeCycle_kg_per_kwh, last.Indicators.Classement.Eligible)));
        }
        return new HeatJson<List<ScenarioListItem>>(list);
    }

    private static ScenarioResponse ToResponse(ScenarioRecord r) => new(r.Id, r.Name, r.Kind, r.Version, r.Shipped, r.CreatedAt, r.UpdatedAt, r.Document);

    private static async Task<Results<HeatJson<ScenarioResponse>, ProblemHttpResult>> Get(string id, HeatStore store, HttpResponse response, CancellationToken ct)
    {
        var r = await store.GetAsync(id, ct);
        if (r is null)
        {
            return Error.NotFound($"Scenario '{id}'").ToProblem();
        }
        response.Headers.ETag = $"\"{r.Version}\"";
        return new HeatJson<ScenarioResponse>(ToResponse(r));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Document(string id, HeatStore store, HttpResponse response, CancellationToken ct)
    {
        var r = await store.GetAsync(id, ct);
        if (r is null)
        {
            return Error.NotFound($"Scenario '{id}'").ToProblem();
        }
        response.Headers.ContentDisposition = $"attachment; filename=\"{r.Id}.json\"";
        return TypedResults.Content(r.Document.ToJson(), "application/json; charset=utf-8");
    }

    private static async Task<(Scenario? Scenario, IResult? Problem)> ReadScenario(HttpRequest request, IOptions<HeatOptions> options)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return (null, problem);
        }
        var parsed = ShippedScenarios.Parse(text!);
        return parsed.IsSuccess ? (parsed.Value, null) : (null, parsed.Error.ToProblem());
    }

    private static async Task<IResult> Validate(HttpRequest request, HeatService service, IOptions<HeatOptions> options)
    {
        var (scenario, problem) = await ReadScenario(request, options);
        if (problem is not null)
        {
            return problem;
        }
        var compiled = service.Check(scenario!);
        if (!compiled.IsSuccess)
        {
            return compiled.Error.ToProblem();
        }
        var c = compiled.Value;
        return new HeatJson<ValidationResponse>(new ValidationResponse(true, c.Network.NodeCount, c.Network.PipeCount, c.Substations.Count,
            c.TrenchLength_m, c.Units.Sum(u => u.Unit.Capacity_kw)));
    }

    private static async Task<IResult> Create(HttpRequest request, HeatService service, IOptions<HeatOptions> options, CancellationToken ct)
    {
        var (scenario, problem) = await ReadScenario(request, options);
        if (problem is not null)
        {
            return problem;
        }
        var created = await service.CreateAsync(scenario!, ct);
        if (!created.IsSuccess)
        {
            return created.Error.ToProblem();
        }
        request.HttpContext.Response.Headers.Location = $"/api/heat/scenarios/{created.Value.Id}";
        request.HttpContext.Response.Headers.ETag = $"\"{created.Value.Version}\"";
        return new HeatJson<ScenarioResponse>(ToResponse(created.Value), StatusCodes.Status201Created);
    }

    private static async Task<IResult> Update(string id, HttpRequest request, HeatService service, IOptions<HeatOptions> options, CancellationToken ct)
    {
        var ifMatch = request.Headers.IfMatch.ToString().Trim().Trim('"');
        if (!long.TryParse(ifMatch, out var version))
        {
            return new Error(ErrorKind.Validation, "version_required",
                "Send If-Match with the version you edited (the ETag of GET /api/heat/scenarios/{id}), so that a concurrent change is not overwritten.",
                new Dictionary<string, string[]> { ["If-Match"] = ["is required: the scenario's current version"] }).ToProblem();
        }
        var (scenario, problem) = await ReadScenario(request, options);
        if (problem is not null)
        {
            return problem;
        }
        var updated = await service.UpdateAsync(id, scenario!, version, ct);
        if (!updated.IsSuccess)
        {
            return updated.Error.ToProblem();
        }
        request.HttpContext.Response.Headers.ETag = $"\"{updated.Value.Version}\"";
        return new HeatJson<ScenarioResponse>(ToResponse(updated.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HeatService service, CancellationToken ct)
    {
        var deleted = await service.DeleteAsync(id, ct);
        return deleted.IsSuccess ? TypedResults.NoContent() : deleted.Error.ToProblem();
    }
}
