using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Heat.Access;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Forecast;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Import;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Storage;
using Socle.Modules.Heat.Studies;
using Socle.Modules.Heat.Weather;
using Socle.Platform;

namespace Socle.Modules.Heat.Api;

public sealed record ConnectionRequest(string ScenarioId, double X_m, double Y_m, double Need_kw, bool New, bool ReplacingInstallation);

public sealed record JunctionState(string Id, double P_bar, double T_k);

public sealed record PipeState(string Id, double MassFlow_kg_per_s, double VelocityMean_m_per_s, double MeanTemperature_k, double HeatLoss_w, double[] SectionTemperature_k);

public sealed record SteadyStateResponse(string Network, int Iterations, IReadOnlyList<JunctionState> Junctions, IReadOnlyList<PipeState> Pipes);

public sealed record ForecastRequest
{
    /// <summary>The next day's hourly outdoor temperature forecast.</summary>
    public double[] Forecast_c { get; init; } = [];

    /// <summary>Measured history (CSV with load_kw and temperature_c); the scenario's last simulated year when absent.</summary>
    public string? HistoryCsv { get; init; }

    public int HistoryYear { get; init; } = 2025;

    public int TestDays { get; init; } = 28;
}

public sealed record ClimateInfo(string Id, string Name, string Station, double Latitude_deg, double Design_c, double AnnualMean_c, string Source);

/// <summary>Tools around scenarios: pandapipes import and steady state, connection obligation, comparisons, studies, forecast, weather.</summary>
internal static class ToolEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var read = api.MapGroup("").AddEndpointFilter<RequireReader>();
        var write = api.MapGroup("").AddEndpointFilter<RequireEditorKey>();
        write.MapPost("/import/pandapipes", ImportPandapipes).WithName("HeatImportPandapipes")
            .WithSummary("Turn a pandapipes network (JSON) into a scenario; ?id=…&save=true stores it (editor key)");
        write.MapPost("/pandapipes/steady-state", SteadyState).WithName("HeatPandapipesSteadyState")
            .WithSummary("Solve a pandapipes network's steady state: junction pressures and temperatures, pipe flows (editor key)");
        read.MapPost("/connection-check", ConnectionCheck).WithName("HeatConnectionCheck")
            .WithSummary("Must this building connect? (classed network, priority zone, new or renovated, need above the threshold)");
        read.MapGet("/compare", Compare).WithName("HeatCompare").WithSummary("Scenarios side by side (their latest runs): ?ids=a,b,c");
        write.MapPost("/scenarios/{id}/studies/low-temperature", LowTemperature).WithName("HeatStudyLowTemperature")
            .WithSummary("Lower supply and return temperatures: losses, heat-pump COP, EnR&R, cost (editor key)");
        write.MapPost("/scenarios/{id}/studies/densification", Densification).WithName("HeatStudyDensification")
            .WithSummary("Densification versus extension: added deliveries, density, investment, cost per MWh, payback (editor key)");
        read.MapPost("/scenarios/{id}/forecast", ForecastDay).WithName("HeatForecast")
            .WithSummary("Next-day hourly load from a temperature forecast, with its back-tested error");
        read.MapGet("/climates", Climates).WithName("HeatClimates").WithSummary("Shipped typical years and uploaded weather sets");
        read.MapGet("/climates/{id}.csv", ClimateCsv).WithName("HeatClimateCsv").WithSummary("A shipped typical year as CSV");
        write.MapPost("/weather", UploadWeather).WithName("HeatUploadWeather")
            .WithSummary("Store a weather year (CSV: temperature_c[, ghi_w_per_m2]); ?id=…&name=…&latitude_deg=… (editor key)");
    }

    private static async Task<IResult> ImportPandapipes(HttpRequest request, HeatService service, IOptions<HeatOptions> options, string? id, string? name, bool? save, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var converted = HeatService.ImportPandapipes(text!, id ?? "pandapipes-import", name);
        if (!converted.IsSuccess)
        {
            return converted.Error.ToProblem();
        }
        if (save != true)
        {
            return new HeatJson<Scenario>(converted.Value);
        }
        var created = await service.CreateAsync(converted.Value, ct);
        return created.IsSuccess ? new HeatJson<Scenario>(created.Value.Document, StatusCodes.Status201Created) : created.Error.ToProblem();
    }

    private static async Task<IResult> SteadyState(HttpRequest request, IOptions<HeatOptions> options, string? law, string? fluid)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var net = PandapipesNet.Parse(text!);
        if (!net.IsSuccess)
        {
            return net.Error.ToProblem();
        }
        if (net.Value.Junctions.Count > options.Value.MaxNodes)
        {
            return Error.Validation("junction", $"{net.Value.Junctions.Count} junctions: at most {options.Value.MaxNodes}").ToProblem();
        }
        var result = Solve(net.Value, law, fluid);
        return result.IsSuccess ? new HeatJson<SteadyStateResponse>(result.Value) : result.Error.ToProblem();
    }

    /// <summary>Solves a pandapipes network (also used by <c>socle heat import-pandapipes</c>).</summary>
    public static Result<SteadyStateResponse> Solve(PandapipesNet net, string? law, string? fluid)
    {
        var pipeLaw = law is "finite_volume" or "finite-volume" ? PipeTemperatureLaw.FiniteVolume : PipeTemperatureLaw.Exponential;
        IFluid f = fluid is "file" && net.Fluid is { } declared ? declared : Water.Instance;
        var built = net.ToProblem(f, FrictionModel.Colebrook, pipeLaw);
        if (!built.IsSuccess)
        {
            return built.Error;
        }
        var (problem, nodeOf, pipeOf) = built.Value;
        var solved = new SteadyStateSolver(problem.Network, [.. problem.FixedPressures.Select(x => x.Node)]).Solve(problem);
        if (!solved.IsSuccess)
        {
            return solved.Error;
        }
        var s = solved.Value;
        return new SteadyStateResponse(net.Name, s.HydraulicIterations,
            [.. net.Junctions.Where(j => nodeOf.ContainsKey(j.Index)).Select(j => new JunctionState(PandapipesNet.JunctionId(j), s.Pressure_pa[nodeOf[j.Index]] / 1e5, s.Temperature_k[nodeOf[j.Index]]))],
            [.. net.Pipes.Where(p => pipeOf.ContainsKey(p.Index)).Select(p =>
            {
                var b = pipeOf[p.Index];
                return new PipeState(PandapipesNet.PipeId(p), s.MassFlow_kg_per_s[b], s.VelocityMean_m_per_s[b], s.MeanTemperature_k(b), s.HeatLoss_w[b], s.SectionTemperature_k[b]);
            })]);
    }

    private static async Task<IResult> ConnectionCheck(HttpRequest request, HeatStore store, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, 100_000);
        if (problem is not null)
        {
            return problem;
        }
        var query = Bodies.Deserialize<ConnectionRequest>(text!, out var error);
        if (query is null)
        {
            return (error ?? Error.Validation("body", "is empty")).ToProblem();
        }
        var checks = new Checks();
        checks.Require(query.ScenarioId, "scenario_id", 64);
        checks.NonNegative(query.Need_kw, "need_kw");
        checks.That(double.IsFinite(query.X_m) && double.IsFinite(query.Y_m), "x_m", "coordinates must be numbers");
        if (checks.Failed)
        {
            return checks.ToError().ToProblem();
        }
        var answer = await CheckConnectionAsync(store, query, ct);
        return answer.IsSuccess ? new HeatJson<ConnectionAnswer>(answer.Value) : answer.Error.ToProblem();
    }

    public static async Task<Result<ConnectionAnswer>> CheckConnectionAsync(HeatStore store, ConnectionRequest query, CancellationToken ct)
    {
        var record = await store.GetAsync(query.ScenarioId, ct);
        if (record is null)
        {
            return Error.NotFound($"Scenario '{query.ScenarioId}'");
        }
        var run = await store.LatestRunAsync(query.ScenarioId, ct);
        if (run is null)
        {
            return Error.Conflict("no_run", $"Scenario '{query.ScenarioId}' has not been simulated: its EnR&R rate, hence its classement, is not known yet. Run it first.");
        }
        return ConnectionObligation.Check(new BuildingQuery { X_m = query.X_m, Y_m = query.Y_m, Need_kw = query.Need_kw, New = query.New, ReplacingInstallation = query.ReplacingInstallation },
            record.Document.Regulation, run.Indicators.Classement);
    }

    private static async Task<IResult> Compare(string? ids, HeatStore store, CancellationToken ct)
    {
        var list = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (list.Count is < 1 or > 12)
        {
            return Error.Validation("ids", "name 1 to 12 scenarios: ?ids=a,b,c").ToProblem();
        }
        var rows = new List<ScenarioSummary>();
        foreach (var id in list)
        {
            var record = await store.GetAsync(id, ct);
            if (record is null)
            {
                return Error.NotFound($"Scenario '{id}'").ToProblem();
            }
            var run = await store.LatestRunAsync(id, ct);
            if (run is null)
            {
                return Error.Conflict("no_run", $"Scenario '{id}' has not been simulated yet; run it first.").ToProblem();
            }
            rows.Add(ScenarioSummary.From(record.Document, run.Indicators));
        }
        return new HeatJson<List<ScenarioSummary>>(rows);
    }

    private static async Task<IResult> LowTemperature(string id, HttpRequest request, StudyService studies, CancellationToken ct)
    {
        var body = new LowTemperatureRequest();
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (text, problem) = await Bodies.ReadAsync(request, 100_000);
            if (problem is not null)
            {
                return problem;
            }
            body = Bodies.Deserialize<LowTemperatureRequest>(text!, out var error);
            if (body is null)
            {
                return (error ?? Error.Validation("body", "is not a low-temperature request")).ToProblem();
            }
        }
        var result = await studies.LowTemperatureAsync(id, body, ct);
        return result.IsSuccess ? new HeatJson<StudyResult>(result.Value) : result.Error.ToProblem();
    }

    private static async Task<IResult> Densification(string id, HttpRequest request, StudyService studies, IOptions<HeatOptions> options, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var body = Bodies.Deserialize<DensificationRequest>(text!, out var error);
        if (body is null)
        {
            return (error ?? Error.Validation("body", "is empty")).ToProblem();
        }
        var result = await studies.DensificationAsync(id, body, ct);
        return result.IsSuccess ? new HeatJson<StudyResult>(result.Value) : result.Error.ToProblem();
    }

    private static async Task<IResult> ForecastDay(string id, HttpRequest request, StudyService studies, IOptions<HeatOptions> options, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var body = Bodies.Deserialize<ForecastRequest>(text!, out var error);
        if (body is null)
        {
            return (error ?? Error.Validation("body", "is empty")).ToProblem();
        }
        var result = await studies.ForecastAsync(id, body, ct);
        return result.IsSuccess ? new HeatJson<DayForecast>(result.Value) : result.Error.ToProblem();
    }

    private static async Task<HeatJson<List<ClimateInfo>>> Climates(HeatStore store, CancellationToken ct)
    {
        var list = Weather.Climates.All.Select(c => new ClimateInfo(c.Id, c.Name, c.Station, c.Latitude_deg, c.Design_c, Math.Round(c.AnnualMean_c, 2),
            "synthetic typical year from Météo-France normals 1991–2020")).ToList();
        foreach (var w in await store.WeatherListAsync(ct))
        {
            list.Add(new ClimateInfo($"upload:{w.Id}", w.Name, "uploaded", w.Latitude_deg, w.Design_c, double.NaN, "uploaded CSV"));
        }
        return new HeatJson<List<ClimateInfo>>(list);
    }

    private static Results<ContentHttpResult, ProblemHttpResult> ClimateCsv(string id, HttpResponse response)
    {
        var year = WeatherSource.Typical(id);
        if (year is null)
        {
            return Error.NotFound($"Climate '{id}'").ToProblem();
        }
        response.Headers.ContentDisposition = $"attachment; filename=\"typical-year-{id}.csv\"";
        return TypedResults.Content(year.ToCsv(), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> UploadWeather(HttpRequest request, HeatService service, IOptions<HeatOptions> options, string? id, string? name, double? latitude_deg, CancellationToken ct)
    {
        var (text, problem) = await Bodies.ReadAsync(request, options.Value.MaxUploadBytes);
        if (problem is not null)
        {
            return problem;
        }
        var saved = await service.UploadWeatherAsync(id ?? "", name ?? id ?? "", text!, latitude_deg ?? 48.8, ct);
        return saved.IsSuccess ? new HeatJson<WeatherRecord>(saved.Value, StatusCodes.Status201Created) : saved.Error.ToProblem();
    }
}
