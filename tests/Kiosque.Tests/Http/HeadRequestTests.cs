using System.Net;
using Kiosque.Caching;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Http;

/// <summary>
/// Monitors, link checkers and some crawlers ask with HEAD: every GET address answers it with the
/// GET's status and headers and no body, whatever kind of page it is and wherever it is served from.
/// </summary>
public abstract class HeadRequestTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    /// <summary>Headers a second request may differ in by nature (a date, a fresh antiforgery token).</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase) { "Date", "Set-Cookie", "Age" };

    [Fact]
    public async Task Every_kind_of_page_answers_head_with_the_get_status_and_headers_and_no_body()
    {
        using var client = site.Reader();
        var (article, section, tag, author) = await PublishAsync();
        var home = await client.GetDocumentAsync("/");
        var stylesheet = home.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        string[] paths =
        [
            "/", "/?page=1", $"/article/{article}", $"/rubrique/{section}", $"/theme/{tag}", $"/auteur/{author}",
            "/recherche", "/recherche?q=port", "/api/recherche?q=port",
            "/rss.xml", "/atom.xml", "/feed.json", $"/rubrique/{section}/rss.xml", $"/theme/{tag}/atom.xml", $"/auteur/{author}/feed.json",
            "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/news.xml", "/sitemaps/articles-1.xml", "/robots.txt",
            $"/oembed?url=https://journal.test/article/{article}",
            stylesheet, "/css/site.css", "/favicon.svg", "/logo.png", NewsroomAssets.EditorScriptUrl,
            "/newsroom/connexion", "/newsroom", "/feed", "/partager/mastodon",
            "/cette-page-n-existe-pas", $"/article/{article}-nexiste-pas",
        ];

        foreach (var path in paths)
        {
            foreach (var coding in new[] { "br, gzip", "gzip", "" })
            {
                using var get = await SendAsync(client, HttpMethod.Get, path, coding);
                using var head = await SendAsync(client, HttpMethod.Head, path, coding);
                var what = $"{path} ({(coding.Length > 0 ? coding : "identity")})";

                Assert.True(get.StatusCode != HttpStatusCode.NotFound || path.Contains("existe", StringComparison.Ordinal), $"GET {what} answered 404");
                Assert.True(get.StatusCode == head.StatusCode, $"{what}: GET {get.StatusCode}, HEAD {head.StatusCode}");
                Assert.Equal(Headers(get), Headers(head));
                Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            }
        }
    }

    [Fact]
    public async Task A_head_that_renders_a_page_stores_the_whole_page_and_a_later_head_is_served_from_it()
    {
        using var client = site.Reader();
        var (article, _, _, _) = await PublishAsync();
        var path = $"/article/{article}";
        var store = site.Services.GetRequiredService<PageStore>();
        var key = $"https://journal.test{path}";
        Assert.False(store.TryGet(key, out _));

        using var first = await SendAsync(client, HttpMethod.Head, path, "");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(store.TryGet(key, out var entry), "the page rendered for a HEAD was not stored");
        using var get = await SendAsync(client, HttpMethod.Get, path, "");
        var body = await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        // The stored page is the full page, not the HEAD's empty body: a GET gets it whole, from that entry.
        Assert.Contains("<h1", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(body, entry.IdentityBody());
        Assert.Equal(body.Length, first.Content.Headers.ContentLength);
        Assert.Equal(first.Headers.ETag, get.Headers.ETag);

        using var second = await SendAsync(client, HttpMethod.Head, path, "");
        Assert.True(store.TryGet(key, out var still));
        Assert.Same(entry, still);
        Assert.Equal(entry.LastModifiedHeader.ToString(), second.Content.Headers.LastModified!.Value.ToString("R"));
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task A_conditional_head_is_answered_304_like_a_conditional_get()
    {
        using var client = site.Reader();
        var (article, _, _, _) = await PublishAsync();
        using var get = await SendAsync(client, HttpMethod.Get, $"/article/{article}", "br");

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/article/{article}");
        request.Headers.AcceptEncoding.ParseAdd("br");
        request.Headers.IfNoneMatch.Add(get.Headers.ETag!);
        using var head = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, head.StatusCode);
    }

    private async Task<(string Article, string Section, string Tag, string Author)> PublishAsync()
    {
        var section = _content.Section();
        var tag = _content.Tag();
        var author = _content.Author();
        var article = _content.Article(section, "Le port de commerce rouvre ses quais", authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return (article.Slug, section.Slug, tag.Slug, author.Slug);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptEncoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Response and content headers, as one sorted list of "name: value" lines.</summary>
    private static List<string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => !Volatile.Contains(h.Key))
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
}

public sealed class HeadRequestSqliteTests(SqliteSite site) : HeadRequestTests(site), IClassFixture<SqliteSite>;

public sealed class HeadRequestPostgresTests(PostgresSite site) : HeadRequestTests(site), IClassFixture<PostgresSite>;
