using Microsoft.Playwright;
using Socle.Modules.Batteries.Demo;

namespace Socle.Browser.Tests;

/// <summary>The Batteries pages in Chromium, on the demo data seeded at start.</summary>
public class BatteriesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private string DemoKey(string partyId) =>
        File.ReadAllLines(BatteriesDemoData.KeysPath(browser.Services)).Single(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var id, _] && id == partyId)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    private static async Task<string> FirstDemoPassportAsync(IPage page)
    {
        await page.GotoAsync("/batteries");
        // the NMC811 demo battery: the one with spare parts M12-811-A and two years of readings
        var href = await page.Locator("a[href^='/batteries/p/urn:']", new() { HasText = "NMC75-000001" }).GetAttributeAsync("href");
        return href!["/batteries/p/".Length..];
    }

    private async Task<IPage> SignedInAsync(string partyId)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/batteries/signin");
        await page.GetByLabel("Clé d'accès").FillAsync(DemoKey(partyId));
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/batteries/workspace", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task The_public_passport_page_shows_public_data_and_a_qr_code_and_nothing_restricted()
    {
        var page = await browser.NewPageAsync();
        var id = await FirstDemoPassportAsync(page);
        var response = await page.GotoAsync($"/batteries/p/{id}");
        Assert.Equal(200, response!.Status);
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("Passeport de la batterie", await page.Locator("h1").InnerTextAsync());
        var qr = page.Locator("figure.qr img");
        await qr.ScrollIntoViewIfNeededAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Empreinte carbone", text);
        Assert.DoesNotContain("M12-811-A", text);          // spare-part numbers: legitimate interest and Commission
        Assert.DoesNotContain("rapports-essais", text);    // test reports: authorities and Commission
        Assert.DoesNotContain("Deep discharge", text);     // negative events: legitimate interest
        Assert.DoesNotContain("Statut", text);
    }

    [Fact]
    public async Task A_photo_of_the_printed_qr_code_decodes_to_the_passports_resolver_address()
    {
        var page = await browser.NewPageAsync();
        var id = await FirstDemoPassportAsync(page);
        var png = await (await page.APIRequest.GetAsync($"/batteries/p/{id}/qr.png")).BodyAsync();
        await page.GotoAsync("/batteries");
        await page.Locator("[data-scan-file]").SetInputFilesAsync(new FilePayload { Name = "qr.png", MimeType = "image/png", Buffer = png });
        var result = page.Locator("[data-scan-result]");
        await result.Locator("a").WaitForAsync();
        // decoded by jsQR, an implementation independent of the QRCoder that drew it
        Assert.Equal($"http://localhost:5080/batteries/p/{id}", await result.GetAttributeAsync("data-decoded"));
    }

    [Fact]
    public async Task An_operator_signs_in_creates_a_passport_adds_a_reading_and_verifies_it()
    {
        var page = await SignedInAsync(BatteriesDemoData.OperatorId);
        await page.GetByRole(AriaRole.Link, new() { Name = "Créer un passeport" }).ClickAsync();
        await page.GetByLabel("GTIN-14").FillAsync("03770031220049");
        await page.GetByLabel("Numéro de série").FillAsync("BROWSER-0001");
        await page.GetByLabel("Masse (kg)").FillAsync("412");
        await page.GetByLabel("Chimie (abrégée)").FillAsync("NMC811");
        await page.GetByLabel("Chimie (en clair)").FillAsync("Lithium nickel manganese cobalt oxide / graphite");
        await page.GetByLabel("Capacité nominale (Ah)").FillAsync("200");
        await page.GetByLabel("Énergie nominale (kWh)").FillAsync("70");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le passeport" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/manage", StringComparison.Ordinal));
        Assert.Contains("(01)03770031220049(21)BROWSER-0001", await page.Locator("h1").InnerTextAsync());

        await page.GetByLabel("Capacité restante (Ah)").FillAsync("190");
        await page.GetByLabel("État de charge (%)").FillAsync("75");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer une nouvelle version" }).ClickAsync();
        await page.GetByText("Version 2 enregistrée et signée.").WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier hachages, signatures et journal" }).ClickAsync();
        await page.GetByText("2 version(s) vérifiée(s)").WaitForAsync();
        Assert.Equal(2, await page.Locator("table tbody tr").CountAsync());
    }

    [Fact]
    public async Task A_bad_form_names_the_fields_and_creates_nothing()
    {
        var page = await SignedInAsync(BatteriesDemoData.OperatorId);
        await page.GotoAsync("/batteries/passports/new");
        await page.GetByLabel("GTIN-14").FillAsync("03770031220040"); // wrong check digit (9)
        await page.GetByLabel("Numéro de série").FillAsync("BAD-1");
        await page.GetByLabel("Masse (kg)").FillAsync("-5");
        await page.GetByLabel("Chimie (abrégée)").FillAsync("LFP");
        await page.GetByLabel("Chimie (en clair)").FillAsync("Lithium iron phosphate");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le passeport" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        var text = await alert.InnerTextAsync();
        Assert.Contains("$.generalProductInformation.productIdentifier", text);
        Assert.Contains("wrong check digit (expected 9)", text);
        Assert.Contains("$.generalProductInformation.batteryMass: must be greater than zero", text);
        Assert.EndsWith("/batteries/passports/new", page.Url);
    }

    [Fact]
    public async Task The_operator_sees_what_each_group_sees()
    {
        var page = await SignedInAsync(BatteriesDemoData.OperatorId);
        var id = await FirstDemoPassportAsync(page);
        await page.GotoAsync($"/batteries/p/{id}");
        Assert.Contains("M12-811-A", await page.Locator("main").InnerTextAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Public", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("?as=public", StringComparison.Ordinal));
        var asPublic = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("M12-811-A", asPublic);
        Assert.DoesNotContain("rapports-essais", asPublic);
        await page.GetByRole(AriaRole.Link, new() { Name = "Organismes notifiés et autorités de surveillance du marché" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("?as=authorities", StringComparison.Ordinal));
        var asAuthorities = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Rapports d'essais", asAuthorities);
        Assert.DoesNotContain("M12-811-A", asAuthorities);
    }

    [Fact]
    public async Task The_footprint_calculator_and_the_planner_draw_their_charts()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/batteries/footprint");
        Assert.Contains("5", await page.Locator("dl.attrs").InnerTextAsync());
        await page.GetByLabel("Électricité de production").SelectOptionAsync("DE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calculer" }).ClickAsync();
        await page.Locator("dd", new() { HasText = "381 g CO2e/kWh" }).WaitForAsync();
        await page.Locator("socle-chart[data-rendered='true']").First.WaitForAsync();

        await page.GotoAsync("/batteries/plan");
        await page.Locator("socle-chart[data-rendered='true']").Nth(2).WaitForAsync();
        Assert.Equal(3, await page.Locator("socle-chart[data-rendered='true']").CountAsync());
        Assert.Contains("725", await page.Locator("p.notice").InnerTextAsync()); // halved: 1,450 → 725 GWh in 2030
    }

    [Fact]
    public async Task Every_form_control_of_the_batteries_pages_has_a_label()
    {
        var page = await SignedInAsync(BatteriesDemoData.OperatorId);
        var id = await FirstDemoPassportAsync(page);
        foreach (var path in new[] { "/batteries", "/batteries/signin", "/batteries/passports/new", $"/batteries/passports/{id}/manage", "/batteries/footprint", "/batteries/compliance", "/batteries/plan", "/batteries/workspace" })
        {
            await page.GotoAsync(path);
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
                  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                  .map(e => e.name || e.id)
                """);
            Assert.True(unlabelled.Length == 0, $"{path}: {string.Join(", ", unlabelled)}");
            Assert.Equal(1, await page.Locator("main h1").CountAsync());
        }
    }
}
