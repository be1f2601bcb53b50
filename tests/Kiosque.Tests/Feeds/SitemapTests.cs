using System.Net;
using System.Xml.Linq;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Feeds;

/// <summary>robots.txt, the sitemap index and its pages, and the news sitemap, with small pages so paging shows.</summary>
public abstract class SitemapTests(KiosqueFactory site)
{
    public const int PageSize = 4;
    private static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace Image = "http://www.google.com/schemas/sitemap-image/1.1";
    private static readonly XNamespace News = "http://www.google.com/schemas/sitemap-news/0.9";

    private readonly TestContent _content = new();

    private static async Task<XDocument> GetXmlAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Load(await response.Content.ReadAsStreamAsync());
    }

    [Fact]
    public async Task Robots_txt_names_the_sitemap_index()
    {
        using var client = site.Reader();

        var robots = await client.GetStringAsync("/robots.txt");

        Assert.Contains("User-agent: *", robots, StringComparison.Ordinal);
        Assert.Contains("Sitemap: https://journal.test/sitemap.xml", robots.Split('\n'));
    }

    [Fact]
    public async Task The_index_leads_to_every_published_article_and_list_in_pages_of_bounded_size()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var author = _content.Author();
        var tag = _content.Tag();
        var lonelyTag = _content.Tag("Sans article");
        var hero = new MediaAsset { FileName = "test/plan.jpg", Width = 1600, Height = 900, Credit = "X", CreatedAt = TestContent.Now };
        var published = Enumerable.Range(1, 11).Select(i => _content.Article(section, $"Plan du site {i}", TestContent.Now.AddDays(-i), authors: [author], tags: [tag])).ToList();
        published[0].HeroMedia = hero;
        var draft = _content.Article(section, "Brouillon du plan", status: ArticleStatus.Draft, tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. published, draft, lonelyTag]));

        var index = await GetXmlAsync(client, "/sitemap.xml");
        var sitemaps = index.Root!.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value).ToList();
        Assert.Contains("https://journal.test/sitemaps/pages.xml", sitemaps);
        Assert.Contains("https://journal.test/sitemaps/news.xml", sitemaps);
        Assert.True(sitemaps.Count(s => s.Contains("/sitemaps/articles-", StringComparison.Ordinal)) >= 3, "11 articles in pages of 4 make at least three article sitemaps");

        var urls = new List<XElement>();
        // The news sitemap repeats recent articles on purpose; it has its own test.
        foreach (var sitemap in sitemaps.Where(s => !s.EndsWith("/news.xml", StringComparison.Ordinal)))
        {
            var page = await GetXmlAsync(client, sitemap);
            var entries = page.Root!.Elements(Sm + "url").ToList();
            if (sitemap.Contains("/sitemaps/articles-", StringComparison.Ordinal) || sitemap.Contains("/sitemaps/tags-", StringComparison.Ordinal))
            {
                Assert.InRange(entries.Count, 1, PageSize);
            }
            urls.AddRange(entries);
        }
        var locations = urls.Select(u => u.Element(Sm + "loc")!.Value).ToList();
        Assert.Equal(locations.Count, locations.Distinct().Count());
        foreach (var article in published)
        {
            Assert.Contains($"https://journal.test/article/{article.Slug}", locations);
        }
        Assert.DoesNotContain($"https://journal.test/article/{draft.Slug}", locations);
        Assert.Contains("https://journal.test/", locations);
        Assert.Contains($"https://journal.test/rubrique/{section.Slug}", locations);
        Assert.Contains($"https://journal.test/auteur/{author.Slug}", locations);
        Assert.Contains($"https://journal.test/theme/{tag.Slug}", locations);
        Assert.DoesNotContain($"https://journal.test/theme/{lonelyTag.Slug}", locations);

        var withHero = urls.Single(u => u.Element(Sm + "loc")!.Value == $"https://journal.test/article/{published[0].Slug}");
        Assert.Equal("https://journal.test/media/test/plan.jpg", withHero.Element(Image + "image")!.Element(Image + "loc")!.Value);
        Assert.NotNull(withHero.Element(Sm + "lastmod"));
    }

    [Fact]
    public async Task The_news_sitemap_holds_the_last_two_days_only()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var fresh = _content.Article(section, "Dépêche du matin", TestContent.Now.AddHours(-3));
        var old = _content.Article(section, "Dépêche d'avant-hier", TestContent.Now.AddDays(-3));
        var draft = _content.Article(section, "Dépêche en préparation", status: ArticleStatus.Draft);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, fresh, old, draft));

        var news = await GetXmlAsync(client, "/sitemaps/news.xml");

        var entries = news.Root!.Elements(Sm + "url").ToDictionary(u => u.Element(Sm + "loc")!.Value);
        Assert.DoesNotContain($"https://journal.test/article/{old.Slug}", entries.Keys);
        Assert.DoesNotContain($"https://journal.test/article/{draft.Slug}", entries.Keys);
        var entry = entries[$"https://journal.test/article/{fresh.Slug}"].Element(News + "news")!;
        Assert.Equal("Le Courrier du Delta", entry.Element(News + "publication")!.Element(News + "name")!.Value);
        Assert.Equal("fr", entry.Element(News + "publication")!.Element(News + "language")!.Value);
        Assert.Equal(fresh.Headline, entry.Element(News + "title")!.Value);
        var date = DateTimeOffset.Parse(entry.Element(News + "publication_date")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((date.UtcDateTime - fresh.PublishedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("/sitemaps/articles-0.xml")]
    [InlineData("/sitemaps/articles-01.xml")]
    [InlineData("/sitemaps/articles-abc.xml")]
    [InlineData("/sitemaps/articles--1.xml")]
    [InlineData("/sitemaps/articles-99999999999999.xml")]
    [InlineData("/sitemaps/articles-900000.xml")]
    [InlineData("/sitemaps/tags-0.xml")]
    [InlineData("/sitemaps/tags-900000.xml")]
    public async Task Sitemap_pages_that_do_not_exist_answer_404(string path)
    {
        using var client = site.Reader();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_sitemap_page_changes_only_when_an_article_of_its_range_does()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var articles = Enumerable.Range(1, PageSize + 1).Select(i => _content.Article(section, $"Plage {i}", TestContent.Now.AddDays(-i))).ToArray();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));
        var first = articles[0];
        var path = $"/sitemaps/articles-{(first.Id - 1) / PageSize + 1}.xml";
        using var before = await client.GetAsync(path);
        var etag = before.Headers.ETag!;

        var elsewhere = _content.Article(section, "Publié dans une autre plage");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, elsewhere));
        Assert.NotEqual((first.Id - 1) / PageSize, (elsewhere.Id - 1) / PageSize);
        using var unchanged = new HttpRequestMessage(HttpMethod.Get, path);
        unchanged.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(unchanged)).StatusCode);

        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.FindAsync(first.Id);
            article!.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });
        using var changed = new HttpRequestMessage(HttpMethod.Get, path);
        changed.Headers.IfNoneMatch.Add(etag);
        using var after = await client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(first.Slug, await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sitemaps_answer_conditional_gets()
    {
        using var client = site.Reader();
        using var first = await client.GetAsync("/sitemap.xml");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/sitemap.xml");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}

public sealed class SitemapSqliteTests(SitemapSqliteTests.Site site) : SitemapTests(site), IClassFixture<SitemapSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:SitemapPageSize"] = PageSize.ToString() });
}

public sealed class SitemapPostgresTests(SitemapPostgresTests.Site site) : SitemapTests(site), IClassFixture<SitemapPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Kiosque:SitemapPageSize"] = PageSize.ToString() });
}
