using System.Diagnostics;
using Microsoft.Playwright;
using Socle.Modules.Voting.Verification;

namespace Socle.Browser.Tests;

/// <summary>
/// A whole election in real Chromium: the bureau creates it, two trustees make their keys in their browsers, three
/// voters vote through the booth (one votes again, one votes blank), the bureau closes and counts, the trustees decrypt
/// in their browsers, and the downloaded board verifies with our verifier and with Debian's belenios-tool.
/// </summary>
public class ElectionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<IPage> Accepting(Task<IPage> page)
    {
        var p = await page;
        p.Dialog += async (_, d) => await d.AcceptAsync();
        return p;
    }

    [Fact]
    public async Task A_whole_BELENIOS_2048_election_runs_in_the_browser_and_verifies_with_belenios_tool()
    {
        // The bureau creates the election.
        var bureau = await Accepting(browser.NewPageAsync());
        await bureau.GotoAsync("/voting/elections/new");
        await bureau.FillAsync("input[name=name]", "Élection du bureau de l'association");
        await bureau.FillAsync("textarea[name=description]", "Assemblée générale 2026");
        await bureau.SelectOptionAsync("select[name=group]", "BELENIOS-2048");
        await bureau.SelectOptionAsync("select[name=auth]", "password");
        await bureau.FillAsync("textarea[name=questions]", "Présidence\nListe A\nListe B\nListe C");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "Créer" }).ClickAsync();
        await bureau.Locator("#admin-token").WaitForAsync();
        await bureau.ClickAsync("#bureau-link");
        var id = bureau.Url.Split('/')[^2];

        await bureau.FillAsync("textarea[name=roll]", "id,email,name\nv1,v1@example.org,Alice\nv2,v2@example.org,Bruno\nv3,v3@example.org,Chloé\n");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Assertions.Expect(bureau.Locator("p", new() { HasText = "3 inscrits" })).ToBeVisibleAsync();
        // The CNIL section: the level chosen (2 by default) and each of its requirements with a status.
        await Assertions.Expect(bureau.Locator("#compliance-summary")).ToContainTextAsync("Niveau de risque 2");
        await Assertions.Expect(bureau.Locator("#compliance tbody th", new() { HasText = "2-06" })).ToBeVisibleAsync();
        var links = new List<string>();
        foreach (var name in new[] { "Assesseure Dupont", "Assesseur Leroy" })
        {
            await bureau.FillAsync("input[name=trustee]", name);
            await bureau.GetByRole(AriaRole.Button, new() { Name = "Ajouter" }).ClickAsync();
            await bureau.Locator(".trustee-link").Nth(links.Count).WaitForAsync();
            links.Add(await bureau.Locator(".trustee-link").Nth(links.Count).GetAttributeAsync("href") ?? "");
        }
        await bureau.ClickAsync("[data-action=setup]");
        await Assertions.Expect(bureau.Locator("#bureau-state")).ToHaveTextAsync("setup");

        // Each trustee makes a key in their browser; the private key stays with them.
        var trustees = new List<(IPage Page, string Key)>();
        foreach (var link in links)
        {
            var t = await Accepting(browser.NewPageAsync());
            await t.GotoAsync(link);
            await t.GetByRole(AriaRole.Button, new() { Name = "Créer ma clé" }).ClickAsync();
            await t.Locator("#private-key").WaitForAsync(new() { Timeout = 60_000 });
            trustees.Add((t, (await t.Locator("#private-key").InnerTextAsync()).Trim()));
        }

        // The credential authority's file (for postal delivery), then the vote opens.
        await bureau.ReloadAsync();
        var download = await bureau.RunAndWaitForDownloadAsync(() => bureau.ClickAsync("[data-action=credentials-file]"));
        var file = await File.ReadAllLinesAsync(await download.PathAsync());
        var letters = file.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => (Credential: f[^2], Password: f[^1]));
        await bureau.ReloadAsync();
        await bureau.ClickAsync("[data-action=open]");
        await Assertions.Expect(bureau.Locator("#bureau-state")).ToHaveTextAsync("open");

        async Task<string> Vote(IPage page, string voter, string? answer, bool signIn = true)
        {
            await page.GotoAsync($"/voting/elections/{id}/vote");
            if (signIn)
            {
                await page.FillAsync("input[name=voter]", voter);
                await page.FillAsync("input[name=secret]", letters[voter].Password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
            }
            await page.FillAsync("input[name=credential]", letters[voter].Credential);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
            await page.GetByLabel(answer ?? "Vote blanc", new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Suivant" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Chiffrer et déposer mon bulletin" }).ClickAsync();
            await page.Locator("#tracking-number").WaitForAsync(new() { Timeout = 120_000 });
            return await page.Locator("#tracking-number").InnerTextAsync();
        }

        var alice = await browser.NewPageAsync();
        var first = await Vote(alice, "v1", "Liste A");
        var second = await Vote(alice, "v1", "Liste B", signIn: false); // Alice changes her mind: the last ballot counts
        Assert.NotEqual(first, second);
        Assert.Contains("remplace", await alice.ContentAsync(), StringComparison.Ordinal);
        await Vote(await browser.NewPageAsync(), "v2", null); // blank
        await Vote(await browser.NewPageAsync(), "v3", "Liste B");
        var encryptMs = await alice.EvaluateAsync<string>("document.body.dataset.encryptMs");

        // The public ballot box lists every tracking number.
        var box = await browser.NewPageAsync();
        await box.GotoAsync($"/voting/elections/{id}");
        Assert.Equal(4, await box.Locator("#ballot-box li").CountAsync());
        Assert.Contains(second, await box.Locator("#ballot-box").InnerTextAsync(), StringComparison.Ordinal);

        // The bureau closes and counts; the trustees decrypt in their browsers.
        await bureau.ReloadAsync();
        await bureau.ClickAsync("[data-action=close]");
        await Assertions.Expect(bureau.Locator("#bureau-state")).ToHaveTextAsync("closed");
        await bureau.ClickAsync("[data-action=tally]");
        await Assertions.Expect(bureau.Locator("#bureau-state")).ToHaveTextAsync("tallied", new() { Timeout = 60_000 });
        foreach (var (page, key) in trustees)
        {
            await page.ReloadAsync();
            await page.FillAsync("textarea[name=private-key]", key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Déchiffrer ma part" }).ClickAsync();
            await Assertions.Expect(page.Locator("#trustee-done")).ToContainTextAsync("enregistré", new() { Timeout = 120_000 });
        }

        // The result: blank 1, A 0, B 2, C 0.
        await box.ReloadAsync();
        var table = await box.Locator("table").First.InnerTextAsync();
        Assert.Matches(@"Vote blanc\s+1", table);
        Assert.Matches(@"Liste A\s+0", table);
        Assert.Matches(@"Liste B\s+2", table);

        // The downloaded board verifies with our verifier and with Belenios' own tool.
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };
        var board = await http.GetByteArrayAsync($"/api/voting/elections/{id}/board", TestContext.Current.CancellationToken);
        var report = BoardVerifier.Verify(new MemoryStream(board));
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(3, report.BallotsCounted);
        var dir = Directory.CreateTempSubdirectory("socle-browser-belenios-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, $"{id}.bel"), board, TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("belenios-tool") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "election", "verify", "--dir", dir })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
        Directory.Delete(dir, true);
        TestContext.Current.SendDiagnosticMessage($"booth encryption (BELENIOS-2048, 1 question, 3 answers + blank): {encryptMs} ms");
    }
}
