using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kiosque.Tests.Feeds;

/// <summary>
/// The feeds, read back the way aggregators read them: RSS and Atom with
/// System.ServiceModel.Syndication, JSON Feed checked against the JSON Schema of its specification.
/// </summary>
public abstract class FeedTests(KiosqueFactory site)
{
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string MediaNs = "http://search.yahoo.com/mrss/";
    private const string AtomNs = "http://www.w3.org/2005/Atom";

    private readonly TestContent _content = new();

    private sealed record Seeded(Section Section, Tag Tag, Author First, Author Second, Article Article, Article Older, Article Draft, Article Elsewhere);

    /// <summary>A section with a full article (two authors, hero, inline image, relative link, read-also), an older one, a draft, and an article elsewhere.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var section = _content.Section("Flux");
        var first = _content.Author("Inès Vidal");
        var second = _content.Author("Karl Mott");
        var tag = _content.Tag("Presse libre");
        var hero = new MediaAsset { FileName = "test/flux-hero.jpg", Width = 1600, Height = 900, Caption = "La rédaction, le soir du vote.", Credit = "Léa Prat / Collectif", Alt = "Une salle de rédaction", CreatedAt = TestContent.Now };
        var inline = new MediaAsset { FileName = "test/flux-inline.jpg", Width = 1200, Height = 800, Caption = "Le standard.", Credit = "Jo Ba", Alt = "Des téléphones", CreatedAt = TestContent.Now };
        var older = _content.Article(section, "Un article plus ancien", TestContent.Now.AddHours(-5), authors: [first], tags: [tag]);
        var draft = _content.Article(section, "Un brouillon qui ne doit pas sortir", TestContent.Now.AddMinutes(-1), ArticleStatus.Draft, [first], [tag]);
        var elsewhere = _content.Article(_content.Section("Ailleurs"), "Un article d'une autre rubrique", TestContent.Now.AddHours(-2));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, first, second, tag, hero, inline, older, draft, elsewhere));

        var body = ArticleBody.Of(
            new ParagraphBlock(InlineMarkup.Sanitize("Voir <a href=\"/rubrique/" + section.Slug + "\">la rubrique</a> et <a href=\"annexe\">l'annexe</a>, <q>sans</q> retouche.")),
            new HeadingBlock("Ce que disent les chiffres"),
            new ImageBlock(inline.Id),
            new QuoteBlock("Nous ne savons pas.", new QuoteSource("Un témoin")),
            new ReadAlsoBlock(older.Id),
            new ReadAlsoBlock(draft.Id),
            new ListBlock(["Un", "<a href=\"/theme/" + tag.Slug + "\">Deux</a>"]));
        var article = _content.Article(section, "Le journal publie ses flux complets", TestContent.Now.AddHours(-1), authors: [first, second], tags: [tag], body: body);
        article.HeroMedia = hero;
        article.Corrections.Add(new Correction { At = TestContent.Now.AddMinutes(-30), Text = "Le nom du témoin a été retiré." });
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return new Seeded(section, tag, first, second, article, older, draft, elsewhere);
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static SyndicationFeed ReadRss(byte[] body)
    {
        using var reader = XmlReader.Create(new MemoryStream(body));
        var formatter = new Rss20FeedFormatter();
        Assert.True(formatter.CanRead(reader));
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    private static SyndicationFeed ReadAtom(byte[] body)
    {
        using var reader = XmlReader.Create(new MemoryStream(body));
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader));
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    /// <summary>Feed HTML is shown away from our site: every link and image must be absolute.</summary>
    private static void AssertOnlyAbsoluteLinks(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var urls = document.QuerySelectorAll("[href]").Select(e => e.GetAttribute("href")!)
            .Concat(document.QuerySelectorAll("[src]").Select(e => e.GetAttribute("src")!))
            .Concat(document.QuerySelectorAll("[cite]").Select(e => e.GetAttribute("cite")!))
            .ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http", $"relative or odd URL in feed HTML: {url}"));
    }

    [Fact]
    public async Task Section_rss_carries_full_text_every_author_and_the_hero_image()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();

        var (response, body) = await GetAsync(client, $"/rubrique/{seeded.Section.Slug}/rss.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = ReadRss(body);
        Assert.Equal($"{seeded.Section.Name} — Le Courrier du Delta", feed.Title.Text);
        Assert.Equal("Une rubrique de test.", feed.Description.Text);
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}", feed.Links[0].Uri.AbsoluteUri);
        Assert.Equal("fr", feed.Language);
        Assert.Equal([seeded.Article.Headline, seeded.Older.Headline], feed.Items.Select(i => i.Title.Text));

        var item = feed.Items.First();
        Assert.Equal($"https://journal.test/article/{seeded.Article.Slug}", item.Links.Single().Uri.AbsoluteUri);
        Assert.StartsWith("tag:journal.test,", item.Id, StringComparison.Ordinal);
        Assert.InRange((item.PublishDate.UtcDateTime - seeded.Article.PublishedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(seeded.Article.Standfirst, item.Summary.Text);
        Assert.Contains(seeded.Section.Name, item.Categories.Select(c => c.Name));
        Assert.Contains(seeded.Tag.Name, item.Categories.Select(c => c.Name));
        Assert.Equal([seeded.First.Name, seeded.Second.Name], item.ElementExtensions.ReadElementExtensions<string>("creator", DcNs));

        var html = item.ElementExtensions.ReadElementExtensions<string>("encoded", ContentNs).Single();
        Assert.Contains("Ce que disent les chiffres", html, StringComparison.Ordinal);
        Assert.Contains("Crédit photo : Léa Prat / Collectif", html, StringComparison.Ordinal);
        Assert.Contains("Crédit photo : Jo Ba", html, StringComparison.Ordinal);
        Assert.Contains("Le nom du témoin a été retiré.", html, StringComparison.Ordinal);
        Assert.Contains($"https://journal.test/rubrique/{seeded.Section.Slug}", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://journal.test/article/annexe\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://journal.test/article/{seeded.Older.Slug}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(seeded.Draft.Headline, html, StringComparison.Ordinal);
        AssertOnlyAbsoluteLinks(html);

        var media = item.ElementExtensions.Single(e => e.OuterName == "content" && e.OuterNamespace == MediaNs).GetObject<XElement>();
        Assert.Equal("https://journal.test/media/test/flux-hero.jpg", media.Attribute("url")!.Value);
        Assert.Equal("image/jpeg", media.Attribute("type")!.Value);
        Assert.Equal("1600", media.Attribute("width")!.Value);
        Assert.Equal("900", media.Attribute("height")!.Value);
        Assert.Equal("Léa Prat / Collectif", media.Element(XName.Get("credit", MediaNs))!.Value);

        var self = XDocument.Load(new MemoryStream(body)).Descendants(XName.Get("link", AtomNs)).Single(l => l.Attribute("rel")!.Value == "self");
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}/rss.xml", self.Attribute("href")!.Value);
    }

    [Fact]
    public async Task Section_atom_has_every_element_rfc_4287_requires()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();

        var (response, body) = await GetAsync(client, $"/rubrique/{seeded.Section.Slug}/atom.xml");

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = ReadAtom(body);
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}/atom.xml", feed.Id);
        Assert.Equal($"{seeded.Section.Name} — Le Courrier du Delta", feed.Title.Text);
        Assert.NotEqual(default, feed.LastUpdatedTime);
        Assert.Contains(feed.Links, l => l.RelationshipType == "self" && l.Uri.AbsoluteUri == $"https://journal.test/rubrique/{seeded.Section.Slug}/atom.xml");
        Assert.Contains(feed.Links, l => l.RelationshipType == "alternate" && l.Uri.AbsoluteUri == $"https://journal.test/rubrique/{seeded.Section.Slug}");
        Assert.Equal("Le Courrier du Delta", feed.Authors.Single().Name);

        Assert.Equal([seeded.Article.Headline, seeded.Older.Headline], feed.Items.Select(i => i.Title.Text));
        var entry = feed.Items.First();
        Assert.False(string.IsNullOrEmpty(entry.Id));
        Assert.NotEqual(default, entry.LastUpdatedTime);
        Assert.InRange((entry.PublishDate.UtcDateTime - seeded.Article.PublishedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal([seeded.First.Name, seeded.Second.Name], entry.Authors.Select(a => a.Name));
        Assert.Equal($"https://journal.test/auteur/{seeded.Second.Slug}", entry.Authors[1].Uri);
        Assert.Contains(entry.Links, l => l.RelationshipType == "alternate" && l.Uri.AbsoluteUri == $"https://journal.test/article/{seeded.Article.Slug}");
        Assert.Contains(entry.Links, l => l.RelationshipType == "enclosure" && l.Uri.AbsoluteUri == "https://journal.test/media/test/flux-hero.jpg" && l.MediaType == "image/jpeg");
        Assert.Equal(seeded.Article.Standfirst, entry.Summary.Text);
        var content = Assert.IsType<TextSyndicationContent>(entry.Content);
        Assert.Equal("html", content.Type);
        Assert.Contains("Ce que disent les chiffres", content.Text, StringComparison.Ordinal);
        AssertOnlyAbsoluteLinks(content.Text);
    }

    [Fact]
    public async Task Section_json_feed_follows_version_1_1()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();

        var (response, body) = await GetAsync(client, $"/rubrique/{seeded.Section.Slug}/feed.json");

        Assert.Equal("application/feed+json", response.Content.Headers.ContentType!.MediaType);
        var feed = JsonFeedSchema.Read(body);
        Assert.Equal("https://jsonfeed.org/version/1.1", feed.GetProperty("version").GetString());
        Assert.Equal($"{seeded.Section.Name} — Le Courrier du Delta", feed.GetProperty("title").GetString());
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}", feed.GetProperty("home_page_url").GetString());
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}/feed.json", feed.GetProperty("feed_url").GetString());
        Assert.Equal("fr", feed.GetProperty("language").GetString());
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([seeded.Article.Headline, seeded.Older.Headline], items.Select(i => i.GetProperty("title").GetString()));

        var item = items[0];
        Assert.False(string.IsNullOrEmpty(item.GetProperty("id").GetString()));
        Assert.Equal($"https://journal.test/article/{seeded.Article.Slug}", item.GetProperty("url").GetString());
        Assert.Equal("https://journal.test/media/test/flux-hero.jpg", item.GetProperty("image").GetString());
        Assert.Equal([seeded.First.Name, seeded.Second.Name], item.GetProperty("authors").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal($"https://journal.test/auteur/{seeded.First.Slug}", item.GetProperty("authors")[0].GetProperty("url").GetString());
        var published = DateTimeOffset.Parse(item.GetProperty("date_published").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange((published.UtcDateTime - seeded.Article.PublishedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains(seeded.Tag.Name, item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var html = item.GetProperty("content_html").GetString()!;
        Assert.Contains("Ce que disent les chiffres", html, StringComparison.Ordinal);
        AssertOnlyAbsoluteLinks(html);
    }

    [Fact]
    public async Task Site_tag_and_author_feeds_hold_their_own_published_articles()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();

        var siteFeed = ReadRss((await GetAsync(client, "/rss.xml")).Body);
        Assert.Equal("Le Courrier du Delta", siteFeed.Title.Text);
        var titles = siteFeed.Items.Select(i => i.Title.Text).ToList();
        Assert.Contains(seeded.Article.Headline, titles);
        Assert.Contains(seeded.Elsewhere.Headline, titles);
        Assert.DoesNotContain(seeded.Draft.Headline, titles);

        var tagFeed = ReadAtom((await GetAsync(client, $"/theme/{seeded.Tag.Slug}/atom.xml")).Body);
        Assert.Equal([seeded.Article.Headline, seeded.Older.Headline], tagFeed.Items.Select(i => i.Title.Text));

        var authorFeed = JsonFeedSchema.Read((await GetAsync(client, $"/auteur/{seeded.Second.Slug}/feed.json")).Body);
        Assert.Equal([seeded.Article.Headline], authorFeed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal($"{seeded.Second.Name} — Le Courrier du Delta", authorFeed.GetProperty("title").GetString());

        foreach (var path in new[] { "/rubrique/nulle-part/rss.xml", "/theme/nulle-part/atom.xml", "/auteur/personne/feed.json" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path)).Response.StatusCode);
        }
    }

    [Fact]
    public async Task Feeds_answer_conditional_gets_with_304_until_something_is_published()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();
        var path = $"/theme/{seeded.Tag.Slug}/rss.xml";

        var (first, _) = await GetAsync(client, path);
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;
        Assert.False(etag.IsWeak);
        // Cached like the pages: a short freshness, then revalidation; fresh again after any publish.
        Assert.True(first.Headers.CacheControl!.Public);
        Assert.InRange(first.Headers.CacheControl.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Contains("stale-while-revalidate", first.Headers.CacheControl.ToString(), StringComparison.Ordinal);
        Assert.Contains(first.Headers.GetValues("Surrogate-Key").Single().Split(' '), key => key.StartsWith("tag:", StringComparison.Ordinal));

        var (byTag, byTagBody) = await GetAsync(client, path, r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
        Assert.Empty(byTagBody);
        Assert.Equal(etag, byTag.Headers.ETag);
        var (byDate, _) = await GetAsync(client, path, r => r.Headers.IfModifiedSince = lastModified);
        Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
        var (otherTag, _) = await GetAsync(client, path, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"autre\"")));
        Assert.Equal(HttpStatusCode.OK, otherTag.StatusCode);

        var newer = _content.Article(seeded.Section, "Une nouvelle publication", TestContent.Now.AddMinutes(-1), tags: [seeded.Tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, newer));

        var (after, body) = await GetAsync(client, path, r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag);
        Assert.Equal(newer.Headline, ReadRss(body).Items.First().Title.Text);
    }

    [Fact]
    public async Task Unpublishing_an_article_takes_it_out_of_the_feeds_at_once()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();
        var path = $"/auteur/{seeded.First.Slug}/feed.json";
        Assert.Equal(2, JsonFeedSchema.Read((await GetAsync(client, path)).Body).GetProperty("items").GetArrayLength());

        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.FindAsync(seeded.Article.Id);
            article!.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });

        var items = JsonFeedSchema.Read((await GetAsync(client, path)).Body).GetProperty("items");
        Assert.Equal([seeded.Older.Headline], items.EnumerateArray().Select(i => i.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Every_page_kind_offers_the_site_feeds_and_lists_offer_their_own()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();
        var pages = new Dictionary<string, string?>
        {
            ["/"] = null,
            [$"/article/{seeded.Article.Slug}"] = $"/rubrique/{seeded.Section.Slug}",
            [$"/rubrique/{seeded.Section.Slug}"] = $"/rubrique/{seeded.Section.Slug}",
            [$"/theme/{seeded.Tag.Slug}"] = $"/theme/{seeded.Tag.Slug}",
            [$"/auteur/{seeded.First.Slug}"] = $"/auteur/{seeded.First.Slug}",
            ["/recherche?q=journal"] = null,
            ["/nulle-part"] = null,
        };
        foreach (var (path, own) in pages)
        {
            var page = await client.GetDocumentAsync(path, path == "/nulle-part" ? 404 : 200);
            var links = page.QuerySelectorAll("link[rel=alternate]").Select(l => (Type: l.GetAttribute("type"), Href: l.GetAttribute("href"))).ToList();
            Assert.Contains(("application/rss+xml", "https://journal.test/rss.xml"), links);
            Assert.Contains(("application/atom+xml", "https://journal.test/atom.xml"), links);
            Assert.Contains(("application/feed+json", "https://journal.test/feed.json"), links);
            if (own is not null)
            {
                Assert.Contains(("application/rss+xml", $"https://journal.test{own}/rss.xml"), links);
                Assert.Contains(("application/atom+xml", $"https://journal.test{own}/atom.xml"), links);
                Assert.Contains(("application/feed+json", $"https://journal.test{own}/feed.json"), links);
            }
            foreach (var (type, href) in links.Where(l => l.Type != "application/json+oembed"))
            {
                using var feed = await client.GetAsync(href);
                Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
                Assert.Equal(type, feed.Content.Headers.ContentType!.MediaType);
            }
        }
        // Readers see the feeds too, not only their software.
        var list = await client.GetDocumentAsync($"/rubrique/{seeded.Section.Slug}");
        Assert.Equal($"https://journal.test/rubrique/{seeded.Section.Slug}/rss.xml", list.QuerySelector(".list-header .feed-links a")!.GetAttribute("href"));
        Assert.Equal("https://journal.test/rss.xml", list.QuerySelector(".site-footer .feed-links a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task An_entry_keeps_its_id_when_its_slug_changes_and_it_is_republished()
    {
        using var client = site.Reader();
        var seeded = await SeedAsync();
        var path = $"/rubrique/{seeded.Section.Slug}";
        async Task<(string Rss, string Atom, string Json)> IdsAsync(string headline)
        {
            var rss = ReadRss((await GetAsync(client, path + "/rss.xml")).Body).Items.Single(i => i.Title.Text == headline).Id;
            var atom = ReadAtom((await GetAsync(client, path + "/atom.xml")).Body).Items.Single(i => i.Title.Text == headline).Id;
            var json = JsonFeedSchema.Read((await GetAsync(client, path + "/feed.json")).Body).GetProperty("items").EnumerateArray()
                .Single(i => i.GetProperty("title").GetString() == headline).GetProperty("id").GetString()!;
            return (rss, atom, json);
        }
        var before = await IdsAsync(seeded.Older.Headline);
        Assert.Equal(before.Rss, before.Atom);
        Assert.Equal(before.Rss, before.Json);
        Assert.Matches(@"^tag:journal\.test,\d{4}-\d{2}-\d{2}:article:" + seeded.Older.Id + "$", before.Rss);

        // The headline and slug corrected, then the piece unpublished and republished days later.
        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.FindAsync(seeded.Older.Id);
            article!.Headline = "Un article plus ancien, corrigé";
            article.Slug = _content.Unique("un-article-plus-ancien-corrige");
            article.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });
        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.FindAsync(seeded.Older.Id);
            article!.Status = ArticleStatus.Published;
            article.PublishedAt = TestContent.Now.AddDays(3);
            article.UpdatedAt = TestContent.Now.AddDays(3);
            await db.SaveChangesAsync();
        });

        var after = await IdsAsync("Un article plus ancien, corrigé");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Feed_readers_habits_redirect_to_the_rss_feed()
    {
        using var client = site.Reader();
        foreach (var path in new[] { "/feed", "/rss" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal("/rss.xml", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Without_a_hub_configured_no_feed_names_one()
    {
        using var client = site.Reader();
        await SeedAsync();
        var rss = XDocument.Load(new MemoryStream((await GetAsync(client, "/rss.xml")).Body));
        Assert.DoesNotContain(rss.Descendants(XName.Get("link", AtomNs)), l => l.Attribute("rel")?.Value == "hub");
        Assert.False(JsonFeedSchema.Read((await GetAsync(client, "/feed.json")).Body).TryGetProperty("hubs", out _));
    }
}

public sealed class FeedSqliteTests(SqliteSite site) : FeedTests(site), IClassFixture<SqliteSite>;

public sealed class FeedPostgresTests(PostgresSite site) : FeedTests(site), IClassFixture<PostgresSite>;

/// <summary>
/// With <c>Kiosque:WebSubHub</c> set, every feed names the hub, and the hub (a real HTTP server on
/// loopback, standing in for a public hub) is told which feeds changed when an article is published.
/// </summary>
public abstract class WebSubHubTests(WebSubSite site)
{
    [Fact]
    public async Task Every_feed_format_names_the_configured_hub_and_itself()
    {
        using var client = site.Reader();

        var rss = XDocument.Parse(await client.GetStringAsync("/rss.xml"));
        var rssLinks = rss.Descendants(XName.Get("link", "http://www.w3.org/2005/Atom")).ToDictionary(l => l.Attribute("rel")!.Value, l => l.Attribute("href")!.Value);
        Assert.Equal(site.Hub.Url, rssLinks["hub"]);
        Assert.Equal("https://journal.test/rss.xml", rssLinks["self"]);

        var atom = XDocument.Parse(await client.GetStringAsync("/atom.xml"));
        var atomLinks = atom.Root!.Elements(XName.Get("link", "http://www.w3.org/2005/Atom")).ToDictionary(l => l.Attribute("rel")!.Value, l => l.Attribute("href")!.Value);
        Assert.Equal(site.Hub.Url, atomLinks["hub"]);
        Assert.Equal("https://journal.test/atom.xml", atomLinks["self"]);

        var json = JsonFeedSchema.Read(await client.GetByteArrayAsync("/feed.json"));
        Assert.Equal("WebSub", json.GetProperty("hubs")[0].GetProperty("type").GetString());
        Assert.Equal(site.Hub.Url, json.GetProperty("hubs")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Publishing_an_article_tells_the_hub_which_feeds_changed()
    {
        using var client = site.Reader();
        var content = new TestContent();
        var author = content.Author();
        var tag = content.Tag();
        var article = content.Article(content.Section(), "Une publication annoncée au hub", authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var topics = await site.Hub.WaitForTopicsAsync(t => t.Contains($"https://journal.test/rubrique/{article.Section.Slug}/rss.xml"), TimeSpan.FromSeconds(10));

        Assert.Contains("https://journal.test/rss.xml", topics);
        Assert.Contains("https://journal.test/atom.xml", topics);
        Assert.Contains("https://journal.test/feed.json", topics);
        Assert.Contains($"https://journal.test/theme/{tag.Slug}/atom.xml", topics);
        Assert.Contains($"https://journal.test/auteur/{author.Slug}/feed.json", topics);
    }

    [Fact]
    public async Task Moving_an_article_tells_the_hub_about_the_feeds_it_left_as_well()
    {
        var content = new TestContent();
        var from = content.Section("Départ");
        var to = content.Section("Arrivée");
        var tag = content.Tag();
        var article = content.Article(from, "Un article qui change de rubrique", tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, to));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        await site.Hub.WaitForTopicsAsync(t => t.Contains($"https://journal.test/rubrique/{from.Slug}/rss.xml"), TimeSpan.FromSeconds(10));

        // Moved to another section and its tag removed: the old section's and tag's feeds lose it.
        await site.WithDbAsync(async db =>
        {
            var saved = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == article.Id);
            saved.SectionId = to.Id;
            saved.Tags.Clear();
            await db.SaveChangesAsync();
        });
        var topics = await site.Hub.WaitForTopicsAsync(t => t.Contains($"https://journal.test/rubrique/{to.Slug}/rss.xml"), TimeSpan.FromSeconds(10));

        Assert.Contains($"https://journal.test/rubrique/{from.Slug}/rss.xml", topics);
        Assert.Contains($"https://journal.test/rubrique/{from.Slug}/feed.json", topics);
        Assert.Contains($"https://journal.test/theme/{tag.Slug}/atom.xml", topics);
        Assert.Contains("https://journal.test/rss.xml", topics);

        // Deleted: every feed it was in hears of it.
        await site.WithDbAsync(async db =>
        {
            db.Articles.Remove(await db.Articles.SingleAsync(a => a.Id == article.Id));
            await db.SaveChangesAsync();
        });
        topics = await site.Hub.WaitForTopicsAsync(t => t.Contains($"https://journal.test/rubrique/{to.Slug}/atom.xml"), TimeSpan.FromSeconds(10));
        Assert.Contains("https://journal.test/feed.json", topics);
    }
}

public sealed class WebSubHubSqliteTests(WebSubSqliteSite site) : WebSubHubTests(site), IClassFixture<WebSubSqliteSite>;

public sealed class WebSubHubPostgresTests(WebSubPostgresSite site) : WebSubHubTests(site), IClassFixture<WebSubPostgresSite>;

/// <summary>A site whose feeds name a hub (a <see cref="TestHub"/>) and which notifies it.</summary>
public abstract class WebSubSite : KiosqueFactory
{
    protected WebSubSite(DatabaseKind kind)
        : this(kind, TestHub.Start())
    {
    }

    private WebSubSite(DatabaseKind kind, TestHub hub)
        : base(kind, new Dictionary<string, string?> { ["Kiosque:WebSubHub"] = hub.Url })
    {
        Hub = hub;
    }

    public TestHub Hub { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Hub.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class WebSubSqliteSite() : WebSubSite(DatabaseKind.Sqlite);

public sealed class WebSubPostgresSite() : WebSubSite(DatabaseKind.Postgres);

/// <summary>A WebSub hub on loopback that records the publish notifications it receives.</summary>
public sealed class TestHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Threading.Channels.Channel<IReadOnlyList<string>> _received = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<string>>();

    private TestHub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["hub.mode"] != "publish")
            {
                return Results.BadRequest();
            }
            _received.Writer.TryWrite(form["hub.url"].Select(u => u!).ToList());
            return Results.NoContent();
        });
    }

    public string Url { get; private set; } = "";

    public static TestHub Start()
    {
        var hub = new TestHub();
        hub._app.StartAsync().GetAwaiter().GetResult();
        hub.Url = hub._app.Urls.First().TrimEnd('/') + "/";
        return hub;
    }

    /// <summary>The topics of the first notification that <paramref name="match"/> accepts.</summary>
    public async Task<IReadOnlyList<string>> WaitForTopicsAsync(Func<IReadOnlyList<string>, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var topics = await _received.Reader.ReadAsync(cancel.Token);
            if (match(topics))
            {
                return topics;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
