using Socle.Modules.Batteries.Cli;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Socle.Modules.Batteries.Circularity;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Footprint;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Signing;
using Socle.Modules.Batteries.Web;
using Socle.Platform.Hosting;
using Socle.Platform.Web;

namespace Socle.Modules.Batteries;

/// <summary>
/// The Batteries module: the EU battery passport registry (Regulation (EU) 2023/1542, Battery Pass data model
/// DIN DKE SPEC 99100), carbon footprint, circularity compliance and value-chain planning.
/// </summary>
public static class BatteriesModule
{
    public static readonly SocleModule Descriptor = new()
    {
        Name = "batteries",
        Title = new LocalizedText("Batteries", "Batteries"),
        Summary = new LocalizedText(
            "Passeport numérique des batteries (règlement UE 2023/1542) : registre signé avec niveaux d'accès, QR code, empreinte carbone.\nConformité au contenu recyclé et aux objectifs de recyclage, planification de la chaîne de valeur européenne.",
            "EU battery passport (Regulation (EU) 2023/1542): a signed registry with access levels, QR codes, carbon footprint.\nRecycled-content and recycling-target compliance, European value-chain planning."),
        Path = "/batteries",
        Add = b => b.AddBatteries(),
        Map = e => e.MapBatteries(),
        Cli = BatteryCommands.Create,
        Pages = typeof(BatteriesModule).Assembly,
    };

    public static IHostApplicationBuilder AddBatteries(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<BatteriesOptions>(BatteriesOptions.Section);
        builder.AddMigrations("batteries", typeof(BatteriesModule).Assembly);
        var services = builder.Services;
        // Operators' private signing keys are encrypted with the same Data Protection key ring as the server's cookies
        // (Socle:DataProtection:KeysDirectory), so that the CLI and every server can use them; the platform's web setup
        // configures the same ring, this makes it available to `socle battery` commands too.
        services.AddDataProtection()
            .SetApplicationName("Socle")
            .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["Socle:DataProtection:KeysDirectory"] ?? Path.Combine("data", "keys")));
        services.TryAddSingleton<SigningKeys>();
        services.TryAddSingleton<PartyStore>();
        services.TryAddSingleton<PassportRegistry>();
        services.TryAddSingleton<RecyclingReports>();
        services.TryAddSingleton<PassportHeadCache>();
        services.TryAddSingleton<PassportViews>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, JsonTwinMatcherPolicy>());
        BatteriesAuth.Add(services);
        services.AddSingleton<IDemoData, BatteriesDemoData>();
        builder.AddValidatedOptions<FootprintOptions>(FootprintOptions.Section);
        return builder;
    }

    public static IEndpointRouteBuilder MapBatteries(this IEndpointRouteBuilder endpoints) => endpoints.MapBatteriesApi();
}
