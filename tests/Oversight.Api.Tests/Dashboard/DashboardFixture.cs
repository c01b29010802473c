using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Oversight.Api.Tests.Dashboard;

/// <summary>
/// The API on a real socket (Kestrel on a dynamic loopback port: a browser cannot reach the in-memory TestServer) and one
/// headless Debian Chromium driven by Playwright. Playwright's own browser download is never used: the executable is
/// <see cref="ChromiumPath"/>, and if it cannot start, every browser test fails saying so.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Exception? _browserFailure;

    public ApiFactory Api { get; } = new();

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The browser, or a failure that says why Chromium did not start (never a silent pass).</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(
        $"Headless Chromium could not be started from {ChromiumPath} through Playwright, so the dashboard cannot be tested in a browser: "
        + $"{_browserFailure?.GetType().Name}: {_browserFailure?.Message}", _browserFailure);

    public async ValueTask InitializeAsync()
    {
        Api.UseKestrel(0);
        await Api.InitializeAsync();
        var addresses = Api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses.");
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Kestrel listens on no http address: {string.Join(", ", addresses)}.");
        BaseAddress = new Uri(address.Replace("//localhost:", "//127.0.0.1:", StringComparison.Ordinal).Replace("//[::]:", "//127.0.0.1:", StringComparison.Ordinal));

        try
        {
            if (!File.Exists(ChromiumPath)) throw new FileNotFoundException($"No Chromium at {ChromiumPath} (Debian package 'chromium').", ChromiumPath);
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Without the background-networking flag Chromium keeps calling Google's hosts, which this closed network refuses.
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                Timeout = 60_000,
            });
        }
        catch (Exception e)
        {
            _browserFailure = e;
        }
    }

    /// <summary>A fresh browser context (its own sessionStorage) with a page at a size that shows every chart.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1100 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
    }
}
