using Microsoft.Playwright;

namespace Socle.Browser.Tests;

public class HomePageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_home_page_loads_in_Chromium_and_speaks_French()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/");
        Assert.Equal(200, response!.Status);
        Assert.Equal("Socle", await page.TitleAsync());
        Assert.Equal("Socle", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("voter en ligne", await page.Locator("p.lead").InnerTextAsync());
        Assert.Equal(1, await page.Locator("main#main").CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" }).CountAsync());
    }

    [Fact]
    public async Task Switching_to_English_keeps_the_choice_across_pages()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith('/'));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("vote online", await page.Locator("p.lead").InnerTextAsync());
        await page.GotoAsync("/nowhere");
        Assert.Equal("Page not found", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task The_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        Assert.True(await page.EvaluateAsync<bool>("getComputedStyle(document.activeElement).left !== '-999px'"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    [Fact]
    public async Task The_styles_load_and_text_meets_contrast()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        var color = await page.EvaluateAsync<string>("getComputedStyle(document.body).color");
        Assert.Equal("rgb(22, 22, 22)", color); // #161616 on white: 17.7:1
        var link = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('footer a')).color");
        Assert.Equal("rgb(0, 0, 145)", link); // #000091 on #f6f6f6: 14.7:1
    }
}
