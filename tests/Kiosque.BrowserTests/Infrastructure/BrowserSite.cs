using System.Net;
using Kiosque.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kiosque.BrowserTests.Infrastructure;

/// <summary>
/// The real application with the demo newsroom, on a real Kestrel port on 127.0.0.1, and one
/// headless Debian Chromium driven by Playwright, shared by the tests of a class.
/// </summary>
public sealed class BrowserSite : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("kiosque-browser-").FullName;
    private IPlaywright? _playwright;

    public BrowserSite()
    {
        // Loopback only, on a port the system picks, so parallel runs never collide.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>http://127.0.0.1:PORT, without a trailing slash.</summary>
    public string Origin { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Kiosque", $"Data Source={Path.Combine(_dataDirectory, "kiosque.db")}");
        builder.UseSetting("Kiosque:DataDirectory", _dataDirectory);
        builder.UseSetting("Kiosque:Demo", "true");
        builder.UseSetting("Kiosque:Media:StartDelay", "00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Plain HTTP on 127.0.0.1: Secure cookies would never come back (Kiosque.Tests checks the flag).
        builder.UseSetting("Kiosque:SecureCookies", "false");
    }

    public async ValueTask InitializeAsync()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = address.TrimEnd('/');
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (scripts/test.sh does).");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public HttpClient Http() => new() { BaseAddress = new Uri(Origin) };

    /// <summary>
    /// The demo's pictures are rendered in the background, and each one done changes the pages that
    /// show it (a JPEG becomes a &lt;picture&gt;): tests that compare two answers wait until they are all done.
    /// </summary>
    public async Task WaitForRenditionsAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            if (!await db.Media.AnyAsync(m => m.RenditionsPending && m.RenditionError == null))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The demo's pictures were not rendered within 3 minutes.");
            }
            await Task.Delay(250);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finished request; the temporary folder is cleaned later.
        }
    }
}
