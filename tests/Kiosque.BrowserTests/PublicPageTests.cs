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
/// dark), and not one request to another host while a reader loads it. Then the article as
/// readers get it: on a narrow phone, printed, and with JavaScript off.
/// </summary>
public sealed class PublicPageTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>
    /// One page of each kind, from the demo newsroom. Two articles: the reference-shaped one, and
    /// one whose body has every kind of block that is more than text (embed, image, list, heading,
    /// read-also), so the checks see that markup too.
    /// </summary>
    public static TheoryData<string> Kinds => ["home", "article", "article-blocks", "live", "section", "tag", "author", "search", "notfound", "share"];

    /// <summary>The articles the narrow-screen, print and no-script checks read.</summary>
    public static TheoryData<string> ArticleKinds => ["article", "article-blocks"];

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
            "live" => "/direct/" + demo.Articles.First(a => a.Coverage is not null).Slug,
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

        // A live page keeps its event stream open: the network is never idle there.
        var main = await page.GotoAsync(site.Origin + PathOf(kind), new() { WaitUntil = kind == "live" ? WaitUntilState.Load : WaitUntilState.NetworkIdle });
        if (kind == "live")
        {
            await page.WaitForTimeoutAsync(1000);
        }

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
    public async Task Text_and_headlines_are_set_in_the_sites_own_serif_loaded_from_the_site()
    {
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(site.Origin + PathOf("article"), new() { WaitUntil = WaitUntilState.NetworkIdle });

        var loaded = await page.EvaluateAsync<string[]>("async () => { await document.fonts.ready; return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.style); }");
        Assert.Contains("Source Serif 4 normal", loaded);
        var headline = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('h1')).fontFamily");
        Assert.StartsWith("\"Source Serif 4\"", headline, StringComparison.Ordinal);
        // The bold face headlines use is loaded, not only declared.
        Assert.True(await page.EvaluateAsync<bool>("() => document.fonts.check('700 2rem \"Source Serif 4\"')"));
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

    [Theory]
    [MemberData(nameof(ArticleKinds))]
    public async Task On_a_360_pixel_phone_the_article_never_scrolls_sideways(string kind)
    {
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true });
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(site.Origin + PathOf(kind), new() { WaitUntil = WaitUntilState.NetworkIdle });

        var widths = await page.EvaluateAsync<JsonElement>(
            "() => ({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth })");
        var inner = widths.GetProperty("inner").GetInt32();
        Assert.Equal(360, inner);
        Assert.True(widths.GetProperty("scroll").GetInt32() <= inner, $"{kind}: the page is {widths.GetProperty("scroll").GetInt32()} px wide in a {inner} px window");
        Assert.True(widths.GetProperty("body").GetInt32() <= inner, $"{kind}: the body is {widths.GetProperty("body").GetInt32()} px wide in a {inner} px window");
        // Nothing sticks out on its own either (a wide element clipped by overflow: hidden would not widen the page).
        var wide = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('main *')]
              .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5); })
              .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))
            """);
        Assert.True(wide.Length == 0, $"{kind}: wider than the screen: {string.Join(", ", wide)}");
    }

    [Theory]
    [MemberData(nameof(ArticleKinds))]
    public async Task Printed_the_article_keeps_its_text_and_drops_navigation_and_sharing(string kind)
    {
        await using var context = await site.Browser.NewContextAsync();
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(site.Origin + PathOf(kind), new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.True(await page.Locator("nav.share").First.IsVisibleAsync(), "share links are shown on screen");
        Assert.True(await page.Locator(".site-header nav.sections").IsVisibleAsync(), "the navigation is shown on screen");

        await page.EmulateMediaAsync(new() { Media = Microsoft.Playwright.Media.Print });

        foreach (var hidden in new[] { ".site-header nav.sections", ".site-search", "nav.share", ".share-copy", ".related", ".skip-link" })
        {
            var shown = await page.Locator(hidden).EvaluateAllAsync<int>("nodes => nodes.filter(n => n.getClientRects().length > 0).length");
            Assert.True(shown == 0, $"{kind}: {hidden} is printed");
        }
        Assert.True(await page.Locator("main h1").IsVisibleAsync());
        Assert.True(await page.Locator(".article-body p").First.IsVisibleAsync());
        Assert.True(await page.Locator("figure.hero img").IsVisibleAsync(), $"{kind}: the hero photo is printed");
        Assert.True(await page.Locator("figure.hero .credit").IsVisibleAsync(), $"{kind}: the photo credit is printed");
    }

    /// <summary>
    /// On Kestrel, as monitors and link checkers meet it: HEAD gets the GET's status and headers
    /// (Content-Length included where the GET has one) and no body, whatever the content coding.
    /// Kestrel, unlike the in-memory test server, checks that a response sends what it announced.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_head_request_gets_the_get_status_and_headers_and_no_body(string kind)
    {
        await site.WaitForRenditionsAsync();
        using var http = site.Http();
        foreach (var coding in new[] { "br", "gzip", "" })
        {
            using var get = await SendAsync(http, HttpMethod.Get, PathOf(kind), coding);
            using var head = await SendAsync(http, HttpMethod.Head, PathOf(kind), coding);

            Assert.Equal(ExpectedStatus(kind), (int)get.StatusCode);
            Assert.Equal(get.StatusCode, head.StatusCode);
            Assert.Equal(ComparableHeaders(get), ComparableHeaders(head));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task The_browser_gets_the_stylesheet_compressed_and_decodes_the_files_exact_bytes()
    {
        await using var context = await site.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var stylesheet = page.WaitForResponseAsync(r => r.Url.Contains("/css/site.", StringComparison.Ordinal));
        await page.GotoAsync(site.Origin + "/");
        var response = await stylesheet;
        var headers = await response.AllHeadersAsync();

        // Chromium offers Brotli only over HTTPS; over this loopback HTTP it takes gzip.
        Assert.Contains(headers["content-encoding"], new[] { "br", "gzip" });
        Assert.Contains("Accept-Encoding", headers["vary"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000, immutable", headers["cache-control"]);
        Assert.Equal(await File.ReadAllBytesAsync(RepositoryFiles.Stylesheet, TestContext.Current.CancellationToken), await response.BodyAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptEncoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Headers as "name: value" lines, without the date and the message framing (a HEAD has no body to frame).</summary>
    private static List<string> ComparableHeaders(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Transfer-Encoding"))
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(ArticleKinds))]
    public async Task With_JavaScript_off_the_article_its_pictures_and_the_navigation_are_all_there(string kind)
    {
        await using var context = await site.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 6000 } });
        // These run beside axe-core and the Nu checker on a small shared machine.
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        // Without script the browser loads lazy images at once, so "load" waits for every picture.
        var response = await page.GotoAsync(site.Origin + PathOf(kind), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(200, response!.Status);

        var demo = kind == "article" ? DemoNewsroom.Load().Articles[0] : ArticleWithEveryBlock();
        Assert.Equal(demo.Headline, (await page.Locator("main h1").TextContentAsync())!.Trim());
        Assert.True(await page.Locator(".standfirst").IsVisibleAsync());
        var paragraphs = await page.Locator(".article-body p").AllTextContentsAsync();
        Assert.True(paragraphs.Count(p => p.Trim().Length > 80) >= 2, $"{kind}: the body's text is not there");
        Assert.True(await page.Locator("a[rel=author]").First.IsVisibleAsync());

        // Every picture is loaded and drawn (lazy ones included: the window is tall).
        var images = await page.Locator("main img").EvaluateAllAsync<JsonElement>(
            "imgs => imgs.map(i => ({ src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0, shown: i.getClientRects().length > 0 }))");
        Assert.True(images.GetArrayLength() >= (kind == "article" ? 1 : 2), $"{kind}: {images.GetArrayLength()} pictures");
        foreach (var image in images.EnumerateArray())
        {
            Assert.True(image.GetProperty("ok").GetBoolean() && image.GetProperty("shown").GetBoolean(), $"{kind}: {image.GetProperty("src").GetString()} is not shown");
        }

        if (kind == "article-blocks")
        {
            Assert.True(await page.Locator(".article-body .embed a").First.IsVisibleAsync(), "the embed's link card");
            Assert.True(await page.Locator(".article-body .read-also a").First.IsVisibleAsync(), "the read-also link");
            Assert.True(await page.Locator(".article-body ul li, .article-body ol li").First.IsVisibleAsync(), "the list");
            Assert.True(await page.Locator(".article-body h2").First.IsVisibleAsync(), "the sub-heading");
        }

        // The navigation works by links alone.
        var sections = page.Locator(".site-header nav.sections a");
        Assert.True(await sections.CountAsync() >= 6);
        Assert.True(await sections.First.IsVisibleAsync());
        var target = await sections.First.GetAttributeAsync("href");
        await sections.First.ClickAsync();
        await page.WaitForURLAsync(site.Origin + target);
        Assert.NotEmpty(await page.Locator("main .card-headline a").AllAsync());
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
