using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>The real server (Program.cs) on a fresh database of the given provider (the pattern of Host.Tests' SocleFactory).</summary>
public sealed class VotingFactory(TestDatabase database, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    private readonly string _keys = Directory.CreateTempSubdirectory("socle-keys-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Socle:Storage:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Socle:DataProtection:KeysDirectory", _keys);
        builder.UseSetting("Socle:Demo:Seed", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>Replaces services (a fake clock, a mailer that keeps messages) before the server starts.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }

    public static Task<VotingFactory> StartAsync(string provider, params (string Key, string Value)[] settings) => StartAsync(provider, null, settings);

    public static async Task<VotingFactory> StartAsync(string provider, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var factory = new VotingFactory(db, settings) { ConfigureServices = services };
        await Platform.Hosting.PlatformHosting.MigrateAsync(factory.Services);
        return factory;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
