using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Heat.Services;
using Socle.Platform.Hosting;
using Socle.Testing;

namespace Socle.Heat.Tests.Http;

/// <summary>The real server (Program.cs) on a fresh database of the given provider, with a known Heat editor key.</summary>
public sealed class HeatFactory(TestDatabase database, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    public const string EditorKey = "test-editor-key-0123456789";

    public TestDatabase Database { get; } = database;

    private readonly string _keys = Directory.CreateTempSubdirectory("socle-keys-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Socle:Storage:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Socle:DataProtection:KeysDirectory", _keys);
        builder.UseSetting("Socle:Heat:EditorKey", EditorKey);
        builder.UseSetting("Socle:Demo:Seed", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static async Task<HeatFactory> StartAsync(string provider, params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var factory = new HeatFactory(db, settings);
        await factory.Services.MigrateAsync();
        return factory;
    }

    public HeatService Heat => Services.GetRequiredService<HeatService>();

    public HttpClient Editor()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EditorKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
