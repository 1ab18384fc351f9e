using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Socle.Testing;

namespace Socle.Browser.Tests;

/// <summary>
/// The real server on Kestrel (a free loopback port, a fresh SQLite database) and Debian's Chromium driven by Playwright.
/// No browser is downloaded: Chromium is /usr/bin/chromium (./test.sh installs it when missing), overridable with SOCLE_CHROMIUM.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private sealed class KestrelFactory(string connectionString, string keys) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Socle:Storage:ConnectionString", connectionString);
            builder.UseSetting("Socle:DataProtection:KeysDirectory", keys);
        }
    }

    private TestDatabase? _db;
    private KestrelFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The server's services (for tests that need what it seeded, such as demo access keys).</summary>
    public IServiceProvider Services => _factory!.Services;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("SOCLE_CHROMIUM") ?? "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        _factory = new KestrelFactory(_db.ConnectionString, Directory.CreateTempSubdirectory("socle-keys-").FullName);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "fr-FR" });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
