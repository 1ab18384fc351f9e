using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;

namespace Socle.Browser.Tests;

/// <summary>
/// The booth in English, used with the keyboard alone, checked at every step against RGAA practice: the page's
/// language, focus moved to each step's heading, every control with a label, messages in a live region, text contrast
/// of at least 4.5:1 (RGAA 3.2, WCAG 1.4.3).
/// </summary>
public class BoothAccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
        /// <summary>An open Ed25519 election (one question, three lists and blank; sign-in by password), made through the API.</summary>
    private async Task<(string Id, string Voter, string Password, string Credential)> OpenElectionAsync()
    {
        using var api = new ElectionApi(browser.BaseAddress);
        var (id, admin) = await api.CreateAsync(new
        {
            name = "Board of the association",
            description = "General meeting 2026",
            questions = new[] { new { text = "Presidency", answers = new[] { "List A", "List B", "List C" }, blank = true, min = 1, max = 1 } },
            group = "Ed25519",
            voterAuthentication = "password",
        });
        await api.Send(admin, HttpMethod.Post, $"/{id}/voters", new StringContent("id,email\nv1,v1@example.org\n", Encoding.UTF8, "text/csv"));
        var trustee = await api.Send(admin, HttpMethod.Post, $"/{id}/trustees", JsonContent.Create(new { name = "Assessor" }));
        await api.Send(admin, HttpMethod.Post, $"/{id}/setup");
        var key = TrusteeKeys.GenerateSingle(Groups.Ed25519);
        await api.Send(trustee.GetProperty("token").GetString()!, HttpMethod.Post, $"/{id}/trustee/key", new StringContent(key.PublicKey.ToJson(), Encoding.UTF8, "application/json"));
        var file = (await api.Send(admin, HttpMethod.Post, $"/{id}/credentials", JsonContent.Create(new { channel = "file" }))).GetProperty("file").GetString()!;
        var letter = file.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',');
        await api.Send(admin, HttpMethod.Post, $"/{id}/open");
        return (id, letter[0], letter[^1], letter[^2]);
    }

    /// <summary>The RGAA checks a step must pass; returns the focused heading's text.</summary>
    private static async Task<string> CheckStepAsync(IPage page, string heading)
    {
        await Assertions.Expect(page.Locator("#voting-app h2")).ToHaveTextAsync(heading, new() { Timeout = 60_000 });
        var focused = await page.EvaluateAsync<string>("document.activeElement?.tagName + ':' + document.activeElement?.textContent");
        Assert.Equal($"H2:{heading}", focused);
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        var unlabelled = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('#voting-app input, #voting-app select, #voting-app textarea')]
              .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
              .map(e => e.name || e.id)
            """);
        Assert.Empty(unlabelled);
        Assert.Equal("status", await page.GetAttributeAsync("#status", "role"));
        Assert.Equal("polite", await page.GetAttributeAsync("#status", "aria-live"));
        // Contrast of every visible text element against the first opaque background behind it.
        var poor = await page.EvaluateAsync<string[]>("""
            (() => {
              const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
              const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
              const background = (e) => {
                for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0.99) return c.slice(0, 3); }
                return [255, 255, 255];
              };
              return [...document.querySelectorAll('main h1, main h2, main p, main label, main button, main li, main a, main code')]
                .filter(e => e.offsetParent && e.textContent.trim())
                .map(e => { const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
                            return [e.tagName + ' ' + e.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
                .filter(([, ratio]) => ratio < 4.5).map(([what, ratio]) => what + ' ' + ratio.toFixed(2));
            })()
            """);
        Assert.Empty(poor);
        return heading;
    }

    /// <summary>Presses Tab until the focused element matches, as a keyboard user would move on.</summary>
    private static async Task TabToAsync(IPage page, string predicate)
    {
        for (var i = 0; i < 20; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"(e => !!e && ({predicate}))(document.activeElement)"))
            {
                return;
            }
        }
        Assert.Fail($"Tab never reached an element where {predicate}");
    }

    [Fact]
    public async Task The_booth_works_in_English_with_the_keyboard_alone_and_passes_RGAA_checks_at_each_step()
    {
        var (id, voter, password, credential) = await OpenElectionAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"/lang/en?returnUrl=/voting/elections/{id}/vote");
        await page.WaitForURLAsync($"**/voting/elections/{id}/vote");

        await CheckStepAsync(page, "Sign in");
        await TabToAsync(page, "e.name === 'voter'");
        await page.Keyboard.TypeAsync(voter);
        await TabToAsync(page, "e.name === 'secret'");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");

        await CheckStepAsync(page, "Your voting credential");
        await TabToAsync(page, "e.name === 'credential'");
        await page.Keyboard.TypeAsync(credential);
        await page.Keyboard.PressAsync("Enter");

        // The question: a wrong choice first (blank and a list together), refused in the live region, then List B.
        await CheckStepAsync(page, "Question 1 of 1");
        await TabToAsync(page, "e.labels?.[0]?.textContent === 'Blank vote'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "e.labels?.[0]?.textContent === 'List A'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "e.tagName === 'BUTTON' && e.textContent === 'Next'");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("A blank vote selects no answer.");
        await page.FocusAsync("#voting-app h2");
        await TabToAsync(page, "e.labels?.[0]?.textContent === 'Blank vote'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "e.labels?.[0]?.textContent === 'List A'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "e.labels?.[0]?.textContent === 'List B'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "e.tagName === 'BUTTON' && e.textContent === 'Next'");
        await page.Keyboard.PressAsync("Enter");

        // The review lets the voter go back; then the ballot is encrypted and cast.
        await CheckStepAsync(page, "Check your choices");
        Assert.Contains("Presidency : List B", await page.Locator("#voting-app ul").InnerTextAsync(), StringComparison.Ordinal);
        await TabToAsync(page, "e.tagName === 'BUTTON' && e.textContent === 'Encrypt and cast my ballot'");
        await page.Keyboard.PressAsync("Enter");
        await CheckStepAsync(page, "Your ballot is in the ballot box");
        var tracking = (await page.Locator("#tracking-number").InnerTextAsync()).Trim();
        Assert.Equal(43, tracking.Length);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download the receipt" })).ToBeVisibleAsync();
    }
}
