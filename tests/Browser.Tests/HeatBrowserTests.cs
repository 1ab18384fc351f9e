using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Socle.Modules.Heat.Services;

namespace Socle.Browser.Tests;

/// <summary>The Heat pages in Chromium: read a network's results, sign in, simulate, edit with errors named, check a connection.</summary>
public class HeatBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<string> EditorKeyAsync()
    {
        // the shipped scenarios and their first runs, as on a server's first start
        var heat = browser.Services.GetRequiredService<HeatService>();
        await heat.SeedShippedAsync(TestContext.Current.CancellationToken);
        var path = Path.GetFullPath(Path.Combine("data", "heat-editor.key"));
        _ = browser.Services.GetRequiredService<Socle.Modules.Heat.Access.HeatAccess>(); // creates the key file when there is none
        return (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Trim();
    }

    private async Task<IPage> SignedInAsync()
    {
        var key = await EditorKeyAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/heat/connexion?returnUrl=%2Fheat");
        await page.GetByLabel("Clé d'éditeur").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/heat", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task The_scenario_list_shows_the_brief_networks_in_French()
    {
        await EditorKeyAsync();
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/heat");
        Assert.Equal(200, response!.Status);
        Assert.Equal("Réseaux de chaleur et de froid", await page.Locator("h1").InnerTextAsync());
        var table = page.GetByRole(AriaRole.Table);
        foreach (var name in new[] { "Lisieux", "Rouen", "Le Havre Sud", "Mesnil-Esnard", "Part-Dieu" })
        {
            Assert.True(await table.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(name) }).CountAsync() >= 1, name);
        }
        Assert.Equal("page", await page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" }).GetByRole(AriaRole.Link, new() { Name = "Réseaux de chaleur" }).GetAttributeAsync("aria-current"));
    }

    [Fact]
    public async Task An_editor_simulates_a_network_and_reads_its_indicators_and_charts()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/heat/scenarios/mesnil-esnard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simuler l'année" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/heat/runs/run-", StringComparison.Ordinal));
        Assert.Contains("Mesnil-Esnard", await page.Locator("h1").InnerTextAsync());
        var panel = page.Locator(".kpis");
        Assert.Contains("690 MWh", await panel.InnerTextAsync());
        Assert.Contains("classé automatiquement", await page.Locator("h3").First.InnerTextAsync());
        // every chart is drawn by the bundled ECharts: hourly load, duration curve, mix, Sankey
        var charts = page.Locator("socle-chart");
        Assert.Equal(4, await charts.CountAsync());
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('socle-chart')].every(c => c.dataset.rendered === 'true')");
        for (var i = 0; i < 4; i++)
        {
            Assert.False(string.IsNullOrWhiteSpace(await charts.Nth(i).GetAttributeAsync("aria-label")));
        }
        // the published figures sit next to the simulated ones
        Assert.Contains("170", await page.GetByRole(AriaRole.Table, new() { Name = "Chiffres de la plaquette et simulation" }).InnerTextAsync());
    }

    [Fact]
    public async Task The_network_map_is_drawn_from_coordinates_with_a_text_alternative()
    {
        await EditorKeyAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/heat/scenarios/mesnil-esnard");
        var map = page.GetByRole(AriaRole.Img, new() { Name = "Plan du réseau" });
        Assert.Equal(1, await map.CountAsync());
        Assert.Equal(9, await page.Locator("svg.map line").CountAsync());   // nine pipes
        Assert.Equal(6, await page.Locator("svg.map circle").CountAsync()); // six substations
        Assert.Equal(1, await page.Locator("svg.map polygon").CountAsync()); // the priority zone
        Assert.Contains("Sous-stations (6)", await page.GetByRole(AriaRole.Table, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sous-stations") }).InnerTextAsync());
    }

    [Fact]
    public async Task A_bad_capacity_is_refused_naming_the_unit_and_a_good_one_is_saved()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/heat/scenarios/lisieux/modifier");
        var capacity = page.GetByLabel("Puissance de gaz-3 (kW)");
        await capacity.FillAsync("-5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        Assert.Contains("production[gaz-3].capacity_kw", await alert.InnerTextAsync());
        Assert.Equal("true", await page.GetByLabel("Puissance de gaz-3 (kW)").GetAttributeAsync("aria-invalid"));

        await page.GetByLabel("Puissance de gaz-3 (kW)").FillAsync("6000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/heat/scenarios/lisieux", StringComparison.Ordinal));
        Assert.Contains("version 2", await page.Locator("p.hint").First.InnerTextAsync());
        Assert.Matches("6[\\s\u202f\u00a0]000 kW", await page.GetByRole(AriaRole.Table, new() { Name = "Unités de production, par ordre de mérite" }).InnerTextAsync());
    }

    [Fact]
    public async Task The_connection_check_answers_with_its_reasons()
    {
        await EditorKeyAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/heat/raccordement");
        await page.GetByLabel("Réseau", new() { Exact = true }).SelectOptionAsync("mesnil-esnard");
        await page.GetByLabel("x (m)").FillAsync("200");
        await page.GetByLabel("y (m)").FillAsync("20");
        await page.GetByLabel("Besoin (kW)").FillAsync("45");
        await page.GetByLabel("neuf (permis demandé après le classement)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("kw=45", StringComparison.Ordinal));
        var answer = await page.Locator("section[aria-live]").InnerTextAsync();
        Assert.Contains("Raccordement obligatoire", answer);
        Assert.Contains("besoin 45 kW > seuil 30 kW", answer);
        Assert.Contains("dans le périmètre de développement prioritaire", answer);
    }

    [Fact]
    public async Task Without_signing_in_nothing_can_be_changed()
    {
        await EditorKeyAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/heat/scenarios/lisieux");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Simuler l'année" }).CountAsync());
        await page.GotoAsync("/heat/scenarios/lisieux/modifier");
        Assert.Equal(0, await page.Locator("form[method=post]").CountAsync());
        Assert.Contains("Connectez-vous", await page.Locator("main").InnerTextAsync());
    }
}
