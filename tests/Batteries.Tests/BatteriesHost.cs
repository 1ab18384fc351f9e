using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Socle.Modules.Batteries;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Platform.Hosting;
using Socle.Platform.Storage;
using Socle.Testing;

namespace Socle.Batteries.Tests;

/// <summary>The Batteries services (platform + module, migrated) on a fresh database of one provider, with a fake clock.</summary>
public sealed class BatteriesHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BatteriesHost(IHost host, TestDatabase db, FakeClock clock)
    {
        _host = host;
        TestDb = db;
        Clock = clock;
    }

    public TestDatabase TestDb { get; }

    public FakeClock Clock { get; }

    public IServiceProvider Services => _host.Services;

    public Database Db => Services.GetRequiredService<Database>();

    public PassportRegistry Registry => Services.GetRequiredService<PassportRegistry>();

    public PartyStore Parties => Services.GetRequiredService<PartyStore>();

    public static async Task<BatteriesHost> StartAsync(string provider, params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeClock(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Socle:Storage:ConnectionString", db.ConnectionString),
            new("Socle:DataProtection:KeysDirectory", Directory.CreateTempSubdirectory("socle-keys-").FullName),
            .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
        ]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddSoclePlatform();
        builder.AddBatteries();
        var host = builder.Build();
        await host.Services.MigrateAsync();
        return new BatteriesHost(host, db, clock);
    }

    public async Task<Party> PartyAsync(PartyRole role, string name, PartyProfile? profile = null)
    {
        var registered = await Parties.RegisterAsync(role, name, profile ?? new PartyProfile(), CancellationToken.None);
        return registered.Value.Party;
    }

    public Task<Party> OperatorAsync(string name = "Cellules du Nord SAS") => PartyAsync(PartyRole.Operator, name, new PartyProfile
    {
        Identifier = "3770031220000",
        Bpnl = "BPNL00000003CRHK",
        Bpna = "BPNA00000003AYRE",
        ContactName = name,
        StreetAddress = "1 quai de la Batterie, Dunkerque",
        PostalCode = "59140",
        Country = "FR",
        WebAddress = "https://www.cellules-du-nord.example/",
    });

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await TestDb.DisposeAsync();
    }
}
