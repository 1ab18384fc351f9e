using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Socle.Platform.Hosting;
using Socle.Platform.Web;
using Socle.Testing;

namespace Socle.Host.Tests;

/// <summary>The module contract: a module adds its services, maps its routes, appears in navigation; --modules picks a subset.</summary>
public class ModuleContractTests
{
    private sealed class Counter
    {
        public int Value;
    }

    private static SocleModule Sample(string name, string fr, string en) => new()
    {
        Name = name,
        Title = new LocalizedText(fr, en),
        Summary = new LocalizedText($"Résumé de {fr}.", $"Summary of {en}."),
        Path = $"/{name}",
        Add = b => b.Services.AddSingleton<Counter>(),
        Map = e => e.MapGet($"/api/{name}/ping", (Counter c) => Results.Ok(new { module = name, n = ++c.Value })),
        Cli = _ => new Command(name, $"{en} commands"),
    };

    private static readonly SocleModule[] Modules = [Sample("alpha", "Alpha", "Alpha"), Sample("beta", "Bêta", "Beta")];

    private static async Task<WebApplication> StartAsync(TestDatabase db, params string[] args)
    {
        var builder = SocleApp.CreateBuilder([.. args, "--Socle:Storage:ConnectionString", db.ConnectionString,
            "--Socle:DataProtection:KeysDirectory", Directory.CreateTempSubdirectory().FullName], Modules);
        builder.WebHost.UseTestServer();
        var app = SocleApp.Build(builder);
        await app.Services.MigrateAsync();
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Every_module_is_mapped_and_listed_by_default()
    {
        await using var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var app = await StartAsync(db);
        var client = app.GetTestClient();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/alpha/ping", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/beta/ping", ct)).StatusCode);
        var home = await client.GetStringAsync("/", ct);
        Assert.Contains("<a href=\"/alpha\">Alpha</a>", home);
        Assert.Contains("Résumé de Bêta.", WebUtility.HtmlDecode(home));
    }

    [Fact]
    public async Task Modules_picks_a_subset_and_the_others_are_absent()
    {
        await using var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var app = await StartAsync(db, "--modules", "beta");
        var client = app.GetTestClient();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/alpha/ping", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/beta/ping", ct)).StatusCode);
        var home = await client.GetStringAsync("/", ct);
        Assert.DoesNotContain("/alpha", home);
        Assert.Contains("/beta", home);
    }

    [Fact]
    public void An_unknown_module_stops_the_boot_naming_the_setting()
    {
        var e = Assert.Throws<OptionsValidationException>(() => SocleApp.CreateBuilder(["--modules", "alpha,gamma"], Modules));
        Assert.Contains("Socle:Modules", e.Message);
        Assert.Contains("gamma", e.Message);
    }
}
