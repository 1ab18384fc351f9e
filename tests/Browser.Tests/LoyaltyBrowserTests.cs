using Microsoft.Playwright;

namespace Socle.Browser.Tests;

/// <summary>
/// The whole loop in real Chromium: a shop sets up its programme, a customer joins through the shop's QR link, staff scan
/// the customer's rotating code (typed, as headless Chromium has no camera), the points appear on the card, the customer
/// takes a reward and staff validate its single-use code.
/// </summary>
public class LoyaltyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_shop_sets_up_a_programme_a_customer_joins_earns_at_the_till_and_redeems_a_reward()
    {
        // the shop
        var shop = await browser.NewPageAsync();
        await shop.GotoAsync("/loyalty");
        await shop.GetByRole(AriaRole.Link, new() { Name = "Créer mon programme" }).ClickAsync();
        await shop.FillAsync("#shop-name", "Café des Arts");
        await shop.FillAsync("#store-name", "12 rue des Arts");
        await shop.FillAsync("#owner-name", "Sophie");
        await shop.SelectOptionAsync("#kind", "points");
        await shop.FillAsync("#programme-name", "Points café");
        await shop.FillAsync("#reward-name", "Un café offert");
        await shop.FillAsync("#reward-cost", "500");
        await shop.ClickAsync("#create");
        await shop.Locator("#owner-key").WaitForAsync();
        Assert.StartsWith("lk_", await shop.Locator("#owner-key").InnerTextAsync());

        await shop.ClickAsync("#go-shop");
        var joinUrl = await shop.Locator("#join-url").InnerTextAsync();
        Assert.Contains("/loyalty/join/", joinUrl);
        Assert.Equal(1, await shop.Locator(".qr.poster svg").CountAsync()); // the poster's QR encodes this link

        // the customer, on their own phone, follows the poster's QR
        var customer = await browser.NewPageAsync();
        await customer.GotoAsync(new Uri(joinUrl).PathAndQuery);
        await customer.FillAsync("#display-name", "Hélène");
        await customer.CheckAsync("#accept-programme");
        await customer.ClickAsync("#join");
        await customer.WaitForURLAsync(u => u.Contains("/loyalty/card/", StringComparison.Ordinal));
        Assert.Equal("0", await customer.Locator("#balance").InnerTextAsync());
        var code = await customer.Locator("loyalty-card-code").GetAttributeAsync("data-code");
        Assert.StartsWith("M1.", code);

        // staff scan the code (typed) and ring up 80 €
        await shop.GotoAsync("/loyalty/shop/scan");
        await shop.FillAsync("#member-code", code!);
        await shop.FillAsync("#amount", "80");
        await shop.ClickAsync("#record");
        var result = await shop.Locator("#scan-result").InnerTextAsync();
        Assert.Contains("+550", result);

        // the same code again is a replay
        await shop.FillAsync("#member-code", code!);
        await shop.FillAsync("#amount", "80");
        await shop.ClickAsync("#record");
        Assert.Contains("already used", await shop.Locator("#scan-result").InnerTextAsync());

        // the points appear on the card; the customer takes the reward
        await customer.ReloadAsync();
        Assert.Equal("550", await customer.Locator("#balance").InnerTextAsync());
        await customer.GetByRole(AriaRole.Button, new() { Name = "Échanger contre Un café offert" }).ClickAsync();
        await customer.Locator("#card-message").WaitForAsync();
        Assert.Equal("50", await customer.Locator("#balance").InnerTextAsync());
        var rewardCode = await customer.Locator("code.reward-code").First.InnerTextAsync();
        Assert.StartsWith("R-", rewardCode);

        // staff validate the reward code once
        await shop.FillAsync("#reward-code", rewardCode);
        await shop.ClickAsync("#validate-reward");
        Assert.Contains("Récompense validée", await shop.Locator("#scan-result").InnerTextAsync());
        await shop.FillAsync("#reward-code", rewardCode);
        await shop.ClickAsync("#validate-reward");
        Assert.Contains("already used", await shop.Locator("#scan-result").InnerTextAsync());

        // the card's code rotates: the page asks for a fresh code and redraws it
        var fresh = await customer.EvaluateAsync<string>("fetch(location.pathname.replace('/loyalty/card/', '/api/loyalty/cards/') + '/code').then(r => r.json()).then(j => j.code)");
        Assert.NotEqual(code, fresh);
    }
}
