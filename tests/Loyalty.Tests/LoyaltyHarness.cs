using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Socle.Modules.Loyalty;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform.Hosting;
using Socle.Platform.Storage;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>The module's services on a fresh database of one provider, with a fake clock; no web server.</summary>
public sealed class LoyaltyHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TestDatabase _db;

    private LoyaltyHarness(IHost host, TestDatabase db, FakeClock clock)
    {
        _host = host;
        _db = db;
        Clock = clock;
    }

    public FakeClock Clock { get; }

    public IServiceProvider Services => _host.Services;

    public Database Database => _db.Database;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public Merchants Merchants => Get<Merchants>();

    public Members Members => Get<Members>();

    public MemberLedger Ledger => Get<MemberLedger>();

    public PurchaseWriter Writer => Get<PurchaseWriter>();

    public static async Task<LoyaltyHarness> StartAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeClock(new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.Zero));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection([
            new("Socle:Storage:ConnectionString", db.ConnectionString),
            new("Socle:Loyalty:Background", "false"),
        ]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddSoclePlatform();
        builder.AddLoyalty();
        var host = builder.Build();
        await host.Services.MigrateAsync();
        return new LoyaltyHarness(host, db, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.Services.GetRequiredService<PurchaseWriter>().DisposeAsync();
        _host.Dispose();
        await _db.DisposeAsync();
    }
}
