using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Testing;

namespace Socle.Batteries.Tests.Http;

/// <summary>The real server (Host's Program) on a fresh database, without demo data, with one party per access group.</summary>
public sealed class BatteriesFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    private readonly string _keys = Directory.CreateTempSubdirectory("socle-keys-").FullName;

    public TestDatabase Database { get; } = database;

    public Dictionary<string, (Party Party, string Key)> Parties { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Socle:Storage:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Socle:DataProtection:KeysDirectory", _keys);
        builder.UseSetting("Socle:Demo:Seed", "false");
        builder.UseSetting("Socle:Batteries:PublicBaseUrl", "https://passports.example");
    }

    public static async Task<BatteriesFactory> StartAsync(string provider)
    {
        var factory = new BatteriesFactory(await TestDatabase.CreateAsync(provider));
        await Platform.Hosting.PlatformHosting.MigrateAsync(factory.Services);
        var store = factory.Services.GetRequiredService<PartyStore>();
        async Task Add(string name, PartyRole role, PartyProfile profile)
        {
            var r = (await store.RegisterAsync(role, name, profile, CancellationToken.None)).Value;
            factory.Parties[name] = (r.Party, r.AccessKey);
        }
        await Add("operator", PartyRole.Operator, new PartyProfile { Bpnl = "BPNL00000003CRHK", Bpna = "BPNA00000003AYRE", ContactName = "Cellules du Nord SAS", Country = "FR", PostalCode = "59140", StreetAddress = "1 quai de la Batterie, Dunkerque", Identifier = "3770031220000" });
        await Add("other-operator", PartyRole.Operator, new PartyProfile { Bpnl = "BPNL00000007XYZA" });
        await Add("repairer", PartyRole.LegitimateInterest, new PartyProfile { Interest = "repairer" });
        await Add("recycler", PartyRole.LegitimateInterest, new PartyProfile { Interest = "recycler" });
        await Add("authority", PartyRole.MarketSurveillance, new PartyProfile());
        await Add("notified-body", PartyRole.NotifiedBody, new PartyProfile());
        await Add("commission", PartyRole.Commission, new PartyProfile());
        return factory;
    }

    public HttpClient Client(string? party = null, bool redirects = true)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = redirects });
        if (party is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Parties[party].Key);
        }
        return client;
    }

    /// <summary>The NMC sample as a passport of "operator", created through the registry.</summary>
    public async Task<string> SamplePassportAsync(string sample = SamplePassports.EvNmc811)
    {
        var registry = Services.GetRequiredService<PassportRegistry>();
        var result = await registry.CreateAsync(Parties["operator"].Party, SamplePassports.Load(sample), CreateMode.Create, null, CancellationToken.None);
        return result.Value.Head.Id;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
