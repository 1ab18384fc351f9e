using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Verification;

namespace Socle.Browser.Tests;

/// <summary>
/// A threshold election (2 of 3 trustees, BELENIOS-2048): the three trustees run the key ceremony in their browsers —
/// certificate, polynomial, output, each from a seed that never leaves the browser — then two of them decrypt; the
/// board verifies with our verifier and with Debian's belenios-tool.
/// </summary>
public class ThresholdBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Three_trustees_make_a_2_of_3_key_in_their_browsers_and_two_decrypt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new ElectionApi(browser.BaseAddress);
        var http = api.Http;

        var (id, admin) = await api.CreateAsync(new
        {
            name = "Conseil d'administration",
            description = "Clé à seuil",
            questions = new[] { new { text = "Présidence", answers = new[] { "Liste A", "Liste B" }, blank = true, min = 1, max = 1 } },
            group = "BELENIOS-2048",
            voterAuthentication = "password",
            threshold = 2,
        });
        await api.Send(admin, HttpMethod.Post, $"/{id}/voters", new StringContent("id,email\nv1,v1@example.org\nv2,v2@example.org\nv3,v3@example.org\n", Encoding.UTF8, "text/csv"));
        var links = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            links.Add((await api.Send(admin, HttpMethod.Post, $"/{id}/trustees", JsonContent.Create(new { name = $"Assesseur {i}" }))).GetProperty("link").GetString()!);
        }
        await api.Send(admin, HttpMethod.Post, $"/{id}/setup");

        // The ceremony, each trustee in their own browser tab; the seed is kept (here read from the page) for later steps.
        var pages = new List<IPage>();
        var seeds = new List<string>();
        foreach (var link in links)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(link);
            await page.GetByRole(AriaRole.Button, new() { Name = "Créer mon certificat" }).ClickAsync();
            await page.Locator("#seed").WaitForAsync(new() { Timeout = 60_000 });
            seeds.Add((await page.Locator("#seed").InnerTextAsync()).Trim());
            pages.Add(page);
        }
        foreach (var (step, button) in new[] { ("polynomial", "Envoyer mes parts chiffrées"), ("output", "Vérifier mes parts et publier ma clé") })
        {
            for (var i = 0; i < 3; i++)
            {
                await pages[i].ReloadAsync();
                await pages[i].FillAsync("input[name=seed]", seeds[i]);
                await pages[i].GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
                // Recorded: the page moves on (waiting for the others, or the next step for the last one).
                await Assertions.Expect(pages[i].GetByRole(AriaRole.Button, new() { Name = button })).ToHaveCountAsync(0, new() { Timeout = 120_000 });
                Assert.DoesNotContain("error", await pages[i].GetAttributeAsync("#status", "class") ?? "", StringComparison.Ordinal);
            }
        }
        await pages[0].ReloadAsync();
        await Assertions.Expect(pages[0].Locator("#trustee-done")).ToContainTextAsync("Votre clé est enregistrée");

        // Credentials, opening, three ballots (encrypted here as the booth does), closing, tally.
        var file = (await api.Send(admin, HttpMethod.Post, $"/{id}/credentials", JsonContent.Create(new { channel = "file" }))).GetProperty("file").GetString()!;
        var letters = file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => (Credential: f[^2], Password: f[^1]));
        await api.Send(admin, HttpMethod.Post, $"/{id}/open");
        var election = ElectionRecord.Parse(await http.GetStringAsync($"/api/voting/elections/{id}/election.json", ct));
        int[][] choices = [[0, 1, 0], [0, 0, 1], [0, 1, 0]];
        for (var i = 0; i < 3; i++)
        {
            var v = $"v{i + 1}";
            var session = (await ElectionApi.Ok(http.PostAsJsonAsync($"/api/voting/elections/{id}/login", new { voterId = v, secret = letters[v].Password }, ct))).GetProperty("token").GetString()!;
            var ballot = BallotEncryption.Encrypt(election, letters[v].Credential, [choices[i]]).Raw;
            await api.Send(session, HttpMethod.Post, $"/{id}/ballots", new StringContent(ballot, Encoding.UTF8, "application/json"));
        }
        await api.Send(admin, HttpMethod.Post, $"/{id}/close");
        await api.Send(admin, HttpMethod.Post, $"/{id}/tally");

        // Trustees 2 and 3 decrypt in their browsers with their seeds; trustee 1 is not needed.
        foreach (var i in new[] { 1, 2 })
        {
            await pages[i].ReloadAsync();
            await pages[i].FillAsync("textarea[name=private-key]", seeds[i]);
            await pages[i].GetByRole(AriaRole.Button, new() { Name = "Déchiffrer ma part" }).ClickAsync();
            await Assertions.Expect(pages[i].Locator("#trustee-done")).ToContainTextAsync("enregistré", new() { Timeout = 120_000 });
        }
        var view = await ElectionApi.Ok(http.GetAsync($"/api/voting/elections/{id}", ct));
        Assert.Equal("published", view.GetProperty("state").GetString());
        Assert.Equal("{\"result\":[[0,2,1]]}", view.GetProperty("resultJson").GetString());

        var board = await http.GetByteArrayAsync($"/api/voting/elections/{id}/board", ct);
        var report = BoardVerifier.Verify(new MemoryStream(board));
        Assert.True(report.Ok, report.Problem?.ToString());
        var dir = Directory.CreateTempSubdirectory("socle-threshold-belenios-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, $"{id}.bel"), board, ct);
        var start = new ProcessStartInfo("belenios-tool") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "election", "verify", "--dir", dir })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync(ct) + await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}
