using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kiosque.BrowserTests.Infrastructure;
using Kiosque.Demo;
using Microsoft.Playwright;

namespace Kiosque.BrowserTests;

/// <summary>
/// Every kind of public page of the demo newsroom, checked as a browser and a validator see it:
/// valid HTML and CSS for the Nu HTML Checker, no WCAG 2.2 AA violation for axe-core (light and
/// dark), and not one request to another host while a reader loads it.
/// </summary>
public sealed class PublicPageTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>
    /// One page of each kind, from the demo newsroom. Two articles: the reference-shaped one, and
    /// one whose body has every kind of block that is more than text (embed, image, list, heading,
    /// read-also), so the checks see that markup too.
    /// </summary>
    public static TheoryData<string> Kinds => ["home", "article", "article-blocks", "section", "tag", "author", "search", "notfound", "share"];

    private static readonly string[] RichBlocks = ["embed", "image", "list", "heading", "readAlso"];

    /// <summary>The first published demo article with an embed, a body image, a list, a heading and a read-also.</summary>
    private static DemoArticle ArticleWithEveryBlock() =>
        DemoNewsroom.Load().Articles.FirstOrDefault(a => a.Status is null
            && RichBlocks.All(type => a.Blocks.Any(b => b.GetProperty("type").GetString() == type)))
        ?? throw new InvalidOperationException("No published demo article has every kind of block (Demo/newsroom.json).");

    private static string PathOf(string kind)
    {
        var demo = DemoNewsroom.Load();
        var article = demo.Articles[0];
        return kind switch
        {
            "home" => "/",
            "article" => "/article/" + article.Slug,
            "article-blocks" => "/article/" + ArticleWithEveryBlock().Slug,
            "section" => "/rubrique/" + article.Section,
            "tag" => "/theme/" + article.Tags[0],
            "author" => "/auteur/" + article.Authors[0],
            "search" => "/recherche?q=" + Uri.EscapeDataString("élection"),
            "notfound" => "/cette-page-n-existe-pas",
            "share" => "/partager/mastodon?url=" + Uri.EscapeDataString("http://127.0.0.1/") + "&text=Titre",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static int ExpectedStatus(string kind) => kind == "notfound" ? 404 : 200;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_reader_loading_the_page_contacts_no_other_host_and_meets_WCAG_22_AA(string kind)
    {
        // A very tall window, so lazily loaded images are fetched too and their hosts checked.
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 6000 }, JavaScriptEnabled = true });
        var requests = new List<string>();
        var failures = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            lock (requests)
            {
                requests.Add(route.Request.Url);
            }
            if (url.Scheme is "data" or "blob" || IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip))
            {
                await route.ContinueAsync();
            }
            else
            {
                // Never let a request leave the machine, even when the test is about to fail.
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType != "document")
            {
                lock (failures)
                {
                    failures.Add($"{response.Status} {response.Url}");
                }
            }
        };

        var main = await page.GotoAsync(site.Origin + PathOf(kind), new() { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal(ExpectedStatus(kind), main!.Status);
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.True(IsLoopback(url), $"{kind}: request to another host: {url}"));
        Assert.Empty(failures);

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var violations = await AxeAsync(page);
            Assert.True(violations.Count == 0, $"{kind} ({scheme}): {string.Join("\n", violations)}");
        }
    }

    [Fact]
    public async Task Every_page_kind_and_the_stylesheet_are_valid_for_the_Nu_HTML_Checker()
    {
        using var http = site.Http();
        var folder = Directory.CreateTempSubdirectory("kiosque-vnu-").FullName;
        try
        {
            var files = new List<string>();
            foreach (var kind in Kinds.Select(k => (string)k.Data))
            {
                using var response = await http.GetAsync(PathOf(kind));
                Assert.Equal(ExpectedStatus(kind), (int)response.StatusCode);
                var file = Path.Combine(folder, kind + ".html");
                await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
                files.Add(file);
            }
            var css = Path.Combine(folder, "site.css");
            File.Copy(RepositoryFiles.Stylesheet, css);
            files.Add(css);

            var messages = await RunVnuAsync(files);

            Assert.True(messages.Count == 0, "Nu HTML Checker:\n" + string.Join("\n", messages));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsLoopback(string url)
    {
        var uri = new Uri(url);
        return uri.Scheme is "data" or "blob" || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>axe-core, injected from the npm package (no network), run on the WCAG 2.0–2.2 A and AA rules.</summary>
    private static async Task<List<string>> AxeAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = RepositoryFiles.AxeScript });
        }
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async (tags) => {
              const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              if (results.passes.length === 0) throw new Error('axe-core checked nothing');
              return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))
              }));
            }
            """, WcagTags);
        return result.EnumerateArray()
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()}\n    "
                + string.Join("\n    ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))
            .ToList();
    }

    /// <summary>One Java start for all the files: the checker reads them from disk (it refuses loopback URLs).</summary>
    private static async Task<List<string>> RunVnuAsync(IReadOnlyList<string> files)
    {
        var start = new ProcessStartInfo("java")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-jar", RepositoryFiles.VnuJar, "--errors-only", "--format", "json", "--also-check-css" }.Concat(files))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("java could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        // vnu writes its JSON report on standard error.
        var json = (await errors).Trim();
        if (json.Length == 0)
        {
            json = (await output).Trim();
        }
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => $"{Path.GetFileName(m.TryGetProperty("url", out var url) ? url.GetString() : "?")}:{(m.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0)} {m.GetProperty("type").GetString()}: {m.GetProperty("message").GetString()}"
                + (m.TryGetProperty("extract", out var extract) ? $"  «{extract.GetString()}»" : ""))
            .ToList();
    }
}
