using System.Net;
using System.Xml.Linq;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Feeds;

/// <summary>
/// robots.txt, the sitemap index and its pages, and the news sitemap, with small pages so paging
/// shows, and a small "small list" so that both ways of dating a tag or an author are used.
/// </summary>
public abstract class SitemapTests(KiosqueFactory site)
{
    public const int PageSize = 4;
    public const int SmallList = 3;

    public static Dictionary<string, string?> SiteSettings => new()
    {
        ["Kiosque:SitemapPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Kiosque:SmallListSize"] = SmallList.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
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
    public async Task Tags_and_authors_big_small_or_empty_are_dated_by_their_newest_published_article()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var (busy, rare, draftsOnly, unused) = (_content.Tag("Très suivi"), _content.Tag("Rare"), _content.Tag("Brouillons"), _content.Tag("Inutilisé"));
        var (prolific, occasional, unpublished, idle) = (_content.Author("Plume Prolixe"), _content.Author("Plume Rare"), _content.Author("Plume Cachée"), _content.Author("Plume Oisive"));
        // More than SmallList articles for the busy ones, fewer for the rare ones; the newest of
        // each list is a draft or a piece taken down, which must not date it.
        var articles = Enumerable.Range(1, SmallList + 3)
            .Select(i => _content.Article(section, $"Suivi {i}", TestContent.Now.AddDays(-10 - i), authors: [prolific], tags: [busy])).ToList();
        articles.Add(_content.Article(section, "Rare", TestContent.Now.AddDays(-30), authors: [occasional], tags: [rare]));
        articles.Add(_content.Article(section, "Brouillon récent", TestContent.Now.AddDays(-1), ArticleStatus.Draft, [prolific, occasional, unpublished], [busy, rare, draftsOnly]));
        var removed = _content.Article(section, "Retiré", TestContent.Now.AddDays(-2), ArticleStatus.Unpublished, [prolific, occasional, unpublished], [busy, rare, draftsOnly]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. articles, removed, unused, idle]));

        var lastmods = new Dictionary<string, DateTime>();
        var index = await GetXmlAsync(client, "/sitemap.xml");
        foreach (var sitemap in index.Root!.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value)
            .Where(s => s.Contains("/sitemaps/tags-", StringComparison.Ordinal) || s.EndsWith("/pages.xml", StringComparison.Ordinal)))
        {
            // Sections without a published article have no date; every other entry has one.
            foreach (var url in (await GetXmlAsync(client, sitemap)).Root!.Elements(Sm + "url").Where(u => u.Element(Sm + "lastmod") is not null))
            {
                lastmods[url.Element(Sm + "loc")!.Value] = DateTimeOffset.Parse(url.Element(Sm + "lastmod")!.Value, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
            }
        }

        void AssertDated(string path, DateTime expected) =>
            Assert.InRange((lastmods[$"https://journal.test{path}"] - expected).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        AssertDated($"/theme/{busy.Slug}", TestContent.Now.AddDays(-11));
        AssertDated($"/theme/{rare.Slug}", TestContent.Now.AddDays(-30));
        AssertDated($"/auteur/{prolific.Slug}", TestContent.Now.AddDays(-11));
        AssertDated($"/auteur/{occasional.Slug}", TestContent.Now.AddDays(-30));
        foreach (var path in new[] { $"/theme/{draftsOnly.Slug}", $"/theme/{unused.Slug}", $"/auteur/{unpublished.Slug}", $"/auteur/{idle.Slug}" })
        {
            Assert.DoesNotContain($"https://journal.test{path}", lastmods.Keys);
        }

        // The feeds of the same lists, both ways: newest first, drafts and removed pieces left out.
        foreach (var (path, expected) in new[] { ($"/theme/{busy.Slug}", "Suivi 1"), ($"/theme/{rare.Slug}", "Rare"), ($"/auteur/{occasional.Slug}", "Rare") })
        {
            var feed = XDocument.Parse(await client.GetStringAsync(path + "/rss.xml"));
            Assert.Equal(expected, feed.Descendants("item").First().Element("title")!.Value);
            Assert.DoesNotContain(feed.Descendants("item"), i => i.Element("title")!.Value is "Brouillon récent" or "Retiré");
        }
        var empty = XDocument.Parse(await client.GetStringAsync($"/theme/{draftsOnly.Slug}/rss.xml"));
        Assert.Empty(empty.Descendants("item"));
    }

    [Fact]
    public async Task Tag_and_list_sitemaps_kept_across_corrections_follow_publications_and_moves()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var author = _content.Author("Plume Nouvelle");
        var tag = _content.Tag("Bientôt publié");
        var other = _content.Tag("Autre");
        var article = _content.Article(section, "Une pièce déjà là", TestContent.Now.AddDays(-5), tags: [other]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article, author, tag));
        var tagsPath = $"/sitemaps/tags-{(tag.Id - 1) / PageSize + 1}.xml";
        // A tag page whose tags all lost their articles is gone (404): as good as empty here.
        async Task<string> BodyAsync(string path)
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.NotFound ? "" : await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        }
        var tagsBefore = await BodyAsync(tagsPath);
        var pagesBefore = await BodyAsync("/sitemaps/pages.xml");
        Assert.DoesNotContain($"/theme/{tag.Slug}<", tagsBefore, StringComparison.Ordinal);
        Assert.DoesNotContain($"/auteur/{author.Slug}<", pagesBefore, StringComparison.Ordinal);

        // A correction moves no list: the same documents.
        await site.WithDbAsync(async db =>
        {
            var saved = await db.Articles.FindAsync(article.Id);
            saved!.Headline = "Une pièce déjà là, corrigée";
            await db.SaveChangesAsync();
        });
        Assert.Equal(tagsBefore, await BodyAsync(tagsPath));
        Assert.Equal(pagesBefore, await BodyAsync("/sitemaps/pages.xml"));

        // The piece gains the tag and the author: both appear at once.
        await site.WithDbAsync(async db =>
        {
            db.ArticleTags.Add(new ArticleTag { ArticleId = article.Id, TagId = tag.Id });
            db.ArticleAuthors.Add(new ArticleAuthor { ArticleId = article.Id, AuthorId = author.Id, Position = 0 });
            (await db.Articles.FindAsync(article.Id))!.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        });
        Assert.Contains($"/theme/{tag.Slug}<", await BodyAsync(tagsPath), StringComparison.Ordinal);
        Assert.Contains($"/auteur/{author.Slug}<", await BodyAsync("/sitemaps/pages.xml"), StringComparison.Ordinal);

        // And leave when it is taken down.
        await site.WithDbAsync(async db =>
        {
            (await db.Articles.FindAsync(article.Id))!.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain($"/theme/{tag.Slug}<", await BodyAsync(tagsPath), StringComparison.Ordinal);
        Assert.DoesNotContain($"/auteur/{author.Slug}<", await BodyAsync("/sitemaps/pages.xml"), StringComparison.Ordinal);
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
    public async Task Sitemaps_go_gzipped_to_clients_that_accept_it_each_coding_with_its_own_etag()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var article = _content.Article(section, "Un plan du site compressé");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        var path = $"/sitemaps/articles-{(article.Id - 1) / PageSize + 1}.xml";

        using var plain = await client.GetAsync(path);
        var plainBody = await plain.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var gzipped = await client.SendAsync(request);

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", gzipped.Headers.Vary);
        using (var unzip = new System.IO.Compression.GZipStream(await gzipped.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            await unzip.CopyToAsync(copy);
            Assert.Equal(plainBody, copy.ToArray());
        }
        Assert.NotEqual(plain.Headers.ETag, gzipped.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.AcceptEncoding.ParseAdd("gzip");
        again.Headers.IfNoneMatch.Add(gzipped.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        using var refused = new HttpRequestMessage(HttpMethod.Get, path);
        refused.Headers.AcceptEncoding.ParseAdd("gzip;q=0");
        using var identity = await client.SendAsync(refused);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal(plainBody, await identity.Content.ReadAsByteArrayAsync());
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
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, SiteSettings);
}

public sealed class SitemapPostgresTests(SitemapPostgresTests.Site site) : SitemapTests(site), IClassFixture<SitemapPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, SiteSettings);
}
