using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>The real server (Program.cs) on a fresh database of the given provider (the pattern of Host.Tests' SocleFactory).</summary>
public sealed class LoyaltyFactory(TestDatabase database, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    private readonly string _keys = Directory.CreateTempSubdirectory("socle-keys-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Socle:Storage:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Socle:DataProtection:KeysDirectory", _keys);
        builder.UseSetting("Socle:Demo:Seed", "false");
        builder.UseSetting("Socle:Loyalty:Background", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static async Task<LoyaltyFactory> StartAsync(string provider, params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var factory = new LoyaltyFactory(db, settings);
        await Platform.Hosting.PlatformHosting.MigrateAsync(factory.Services);
        return factory;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
