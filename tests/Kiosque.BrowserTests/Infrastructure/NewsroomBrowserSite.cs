using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Newsroom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kiosque.BrowserTests.Infrastructure;

/// <summary>
/// The real application on a Kestrel port of its own (SQLite, temporary data folder) and Debian's
/// Chromium driven by Playwright, headless. One per test class; every test opens its own contexts.
/// </summary>
public class NewsroomBrowserSite : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "une phrase de passe pour le navigateur";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("kiosque-browser-").FullName;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Kiosque", $"Data Source={Path.Combine(_dataDirectory, "kiosque.db")}");
        builder.UseSetting("Kiosque:DataDirectory", _dataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Plain HTTP on 127.0.0.1: Secure cookies would never come back (Kiosque.Tests checks the flag).
        builder.UseSetting("Kiosque:SecureCookies", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Settings a test class's own site changes (e.g. a small media size limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ChromiumPath}: scripts/test.sh installs it (apt-get install chromium).");
        }
        UseKestrel(0);
        StartServer();
        BaseUrl = ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (cookies of its own), French, at the site's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "fr-FR" });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task<StaffUser> CreateUserAsync(string role, string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var (user, errors) = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync($"{role}-{Guid.NewGuid():N}@redaction.test", name, role, Password);
        Assert.True(user is not null, string.Join(" ", errors));
        return user!;
    }

    public async Task<T> WithDbAsync<T>(Func<KiosqueDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<KiosqueDb>());
    }

    /// <summary>A section, an author named like the journalist, and a tag.</summary>
    public Task<(Section Section, Author Author)> SeedAsync(string authorName) =>
        WithDbAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var section = new Section { Slug = $"delta-{suffix}", Name = $"Delta {suffix}", Position = 0 };
            var author = new Author { Slug = $"auteur-{suffix}", Name = authorName };
            db.AddRange(section, author);
            await db.SaveChangesAsync();
            return (section, author);
        });

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/newsroom");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync("**/newsroom");
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the server as it stops; the temporary folder is cleaned later.
        }
    }
}
