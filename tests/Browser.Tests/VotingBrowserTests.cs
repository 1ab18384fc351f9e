using Microsoft.Playwright;
using Socle.Testing;

namespace Socle.Browser.Tests;

/// <summary>The voting pages in Chromium: the public explanation, and the verify page used with the keyboard.</summary>
public class VotingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Anyone_can_upload_a_board_and_read_the_verification_report()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/voting/verify");
        Assert.Equal("Vérifier une urne", await page.Locator("h1").InnerTextAsync());

        // The file input is labelled; choose the Belenios reference board and submit with the keyboard.
        var input = page.GetByLabel("Fichier de l'urne (.bel)");
        await input.SetInputFilesAsync(TestData.Path("voting", "belenios-2.5.1", "ed25519-10-voters", "RQAkXtFadUmbNp.bel"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#report");

        Assert.Contains("L'urne est vérifiée.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        var results = page.Locator("table", new() { Has = page.Locator("caption", new() { HasText = "Who should chair the committee?" }) });
        Assert.Equal("3", await results.Locator("tr", new() { Has = page.Locator("th", new() { HasText = "Bob" }) }).Locator("td").InnerTextAsync());
    }

    [Fact]
    public async Task A_tampered_board_is_reported_as_an_alert()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/voting/verify");
        var bytes = await File.ReadAllBytesAsync(TestData.Path("voting", "belenios-2.5.1", "ed25519-10-voters", "RQAkXtFadUmbNp.bel"), TestContext.Current.CancellationToken);
        bytes[3 * 512 + 40] ^= 1;
        await page.GetByLabel("Fichier de l'urne (.bel)").SetInputFilesAsync(new FilePayload { Name = "tampered.bel", MimeType = "application/x-tar", Buffer = bytes });
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier" }).ClickAsync();
        await page.WaitForSelectorAsync("#report");

        var alert = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        Assert.Contains("L'urne n'est pas valide.", alert);
        Assert.Contains("un fichier a été modifié", alert);
    }

    [Fact]
    public async Task The_voting_page_explains_verifiability_and_links_to_the_verifier()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/voting");
        Assert.Equal("Vote par internet vérifiable de bout en bout", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" }).GetByRole(AriaRole.Link, new() { Name = "Vote" }).CountAsync());
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Déposer une urne") }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/voting/verify", StringComparison.Ordinal));
    }
}
