using System.Net;
using System.Text.Json;
using Socle.Testing;

namespace Socle.Host.Tests;

public class HomePageTests
{
    [Theory, StorageProviders]
    public async Task The_home_page_tells_a_visitor_what_Socle_is_in_French_by_default(string provider)
    {
        await using var factory = await SocleFactory.StartAsync(provider);
        var client = factory.CreateClient();
        var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("<h1>Socle</h1>", html);
        Assert.Contains("voter en ligne", html);
        Assert.Contains("<main id=\"main\"", html);
        Assert.Contains("<nav class=\"main-nav\" aria-label=\"Navigation principale\">", html);
        Assert.Contains("href=\"/#main\"", html); // skip link
    }

    [Fact]
    public async Task Choosing_English_sets_a_cookie_and_the_pages_follow_it()
    {
        await using var factory = await SocleFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var ct = TestContext.Current.CancellationToken;

        var redirect = await client.GetAsync("/lang/en?returnUrl=%2F", ct);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/", redirect.Headers.Location!.OriginalString);
        Assert.Contains(redirect.Headers.GetValues("Set-Cookie"), c => c.StartsWith("socle.lang=en", StringComparison.Ordinal));

        var html = await client.GetStringAsync("/", ct);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("vote online", html);
        Assert.Contains("Skip to content", html);
    }

    [Fact]
    public async Task The_language_switch_never_redirects_off_site()
    {
        await using var factory = await SocleFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/lang/en?returnUrl=%2F%2Fevil.example%2F", TestContext.Current.CancellationToken);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var bad = await client.GetAsync("/lang/de", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory, StorageProviders]
    public async Task Health_checks_the_database(string provider)
    {
        await using var factory = await SocleFactory.StartAsync(provider);
        var json = await factory.CreateClient().GetStringAsync("/health", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("healthy", doc.RootElement.GetProperty("status").GetString());
        var database = doc.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal(provider, database.GetProperty("data").GetProperty("provider").GetString());
        Assert.True(database.GetProperty("data").GetProperty("migrations").GetInt64() >= 1);
    }

    [Fact]
    public async Task Health_reports_an_unreachable_database_as_unhealthy()
    {
        var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var factory = new SocleFactory(db,
            ("Socle:Storage:ConnectionString", "Host=127.0.0.1;Port=1;Database=none;Username=x;Timeout=2"),
            ("Socle:Storage:MigrateOnStart", "false"), ("Socle:Demo:Seed", "false"));
        var response = await factory.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"unhealthy\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unknown_api_paths_answer_problem_details_and_unknown_pages_a_page()
    {
        await using var factory = await SocleFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var api = await client.GetAsync("/api/nothing/here", ct);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);

        var page = await client.GetAsync("/nothing/here", ct);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var body = await page.Content.ReadAsStringAsync(ct);
        Assert.True(body.Contains("Page introuvable", StringComparison.Ordinal), body);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_static_files_are_served_from_the_assembly()
    {
        await using var factory = await SocleFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var response = await client.GetAsync("/", ct);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());

        var css = await client.GetAsync("/css/site.css", ct);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        var charts = await client.GetAsync("/dist/charts.js", ct);
        Assert.Equal(HttpStatusCode.OK, charts.StatusCode);
        Assert.Contains("socle-chart", await charts.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task The_api_is_described_in_OpenAPI()
    {
        await using var factory = await SocleFactory.StartAsync(TestDatabase.Sqlite);
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(json);
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString());
    }
}
