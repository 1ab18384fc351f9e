using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Socle.Modules.Heat.Access;
using Socle.Modules.Heat.Api;
using Socle.Modules.Heat.Cli;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Storage;
using Socle.Modules.Heat.Studies;
using Socle.Platform.Hosting;
using Socle.Platform.Web;

namespace Socle.Modules.Heat;

/// <summary>
/// The Heat module: model, simulate and assess district heating and cooling networks under French rules.
/// API under <c>/api/heat</c>, pages under <c>/heat</c>, commands under <c>socle heat</c>.
/// </summary>
public static class HeatModule
{
    public static readonly SocleModule Descriptor = new()
    {
        Name = "heat",
        Title = new LocalizedText("Réseaux de chaleur", "Heat networks"),
        Summary = new LocalizedText(
            "Modéliser un réseau de chaleur ou de froid, simuler son année heure par heure et calculer les indicateurs français : taux EnR&R, contenu CO₂, classement, densité.",
            "Model a heating or cooling network, simulate its year hour by hour and compute the French indicators: EnR&R rate, CO₂ content, classement, heat density."),
        Path = "/heat",
        Add = b => b.AddHeat(),
        Map = e => e.MapHeat(),
        Cli = HeatCommands.Create,
        Pages = typeof(HeatModule).Assembly,
    };

    public static IHostApplicationBuilder AddHeat(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<HeatOptions>(HeatOptions.Section);
        builder.AddMigrations("heat", typeof(HeatModule).Assembly);
        var services = builder.Services;
        services.TryAddSingleton<HeatStore>();
        services.TryAddSingleton<HeatService>();
        services.TryAddSingleton<StudyService>();
        services.TryAddSingleton<HeatAccess>();
        services.AddSingleton<IDemoData, HeatDemoData>();
        services.AddAuthentication().AddCookie(HeatAccess.CookieScheme, CookieSetup.Configure);
        return builder;
    }

    public static IEndpointRouteBuilder MapHeat(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/heat").WithTags("Heat");
        ScenarioEndpoints.Map(api);
        RunEndpoints.Map(api);
        ToolEndpoints.Map(api);
        return endpoints;
    }
}

/// <summary>On first start, the shipped scenarios (the brief's four networks and examples) are stored and simulated once.</summary>
internal sealed class HeatDemoData : IDemoData
{
    public string Module => "heat";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var heat = services.GetRequiredService<HeatService>();
        var count = await heat.SeedShippedAsync(ct);
        foreach (var s in Scenarios.ShippedScenarios.All)
        {
            if (await heat.Store.LatestRunAsync(s.Id, ct) is null)
            {
                await heat.RunAsync(s.Id, $"demo-{s.Id}", null, ct);
            }
        }
        Log.DemoSeeded(services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Socle.Modules.Heat"), count);
    }
}
