using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Socle.Modules.Loyalty.Analytics;
using Socle.Modules.Loyalty.Api;
using Socle.Modules.Loyalty.Cli;
using Socle.Modules.Loyalty.Demo;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Liability;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform.Hosting;
using Socle.Platform.Web;

namespace Socle.Modules.Loyalty;

/// <summary>The Loyalty module: QR-code loyalty programmes a small shop launches in minutes.</summary>
public static class LoyaltyModule
{
    public static readonly SocleModule Descriptor = new()
    {
        Name = "loyalty",
        Title = new LocalizedText("Fidélité", "Loyalty"),
        Summary = new LocalizedText(
            "Un programme de fidélité par QR code lancé en quelques minutes : points, tampons, paliers, récompenses, parrainage.\nPour les commerces de proximité et leurs clients, avec analyses et conformité RGPD.",
            "A QR-code loyalty programme launched in minutes: points, stamps, tiers, rewards, referral.\nFor small shops and their customers, with analytics and GDPR compliance."),
        Path = "/loyalty",
        Add = b => b.AddLoyalty(),
        Map = e => e.MapLoyalty(),
        Cli = LoyaltyCli.Create,
        Pages = typeof(LoyaltyModule).Assembly,
    };

    public static IHostApplicationBuilder AddLoyalty(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<LoyaltyOptions>(LoyaltyOptions.Section);
        builder.AddMigrations("loyalty", typeof(LoyaltyModule).Assembly);
        var s = builder.Services;
        s.AddSingleton<Merchants>();
        s.AddSingleton<Members.Members>();
        s.AddSingleton<MemberLedger>();
        s.AddSingleton<PurchaseWriter>();
        s.AddSingleton<PurchaseImport>();
        s.AddSingleton<LiabilityReport>();
        s.AddSingleton<ShopAnalytics>();
        s.AddSingleton<Outbox>();
        s.AddSingleton<Surprises>();
        s.AddHttpClient("loyalty-webhooks", c => c.Timeout = TimeSpan.FromSeconds(10));
        s.AddHostedService<LoyaltySweeper>();
        s.AddSingleton<IDemoData, LoyaltyDemoData>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLoyalty(this IEndpointRouteBuilder endpoints)
    {
        LoyaltyApi.Map(endpoints);
        Pages.PageEndpoints.Map(endpoints);
        return endpoints;
    }
}
