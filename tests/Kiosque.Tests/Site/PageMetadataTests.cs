using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Site;

/// <summary>What search engines and social networks read in the head of each page.</summary>
public abstract class PageMetadataTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private static string? Meta(IDocument page, string property) =>
        page.QuerySelector($"meta[property='{property}']")?.GetAttribute("content") ?? page.QuerySelector($"meta[name='{property}']")?.GetAttribute("content");

    private static Dictionary<string, JsonElement> JsonLd(IDocument page) =>
        page.QuerySelectorAll("script[type='application/ld+json']")
            .Select(s => JsonDocument.Parse(s.TextContent).RootElement)
            .ToDictionary(j => j.GetProperty("@type").GetString()!);

    private async Task<(Article Article, Section Section, Tag Tag, Author First, Author Second)> SeedAsync()
    {
        var section = _content.Section("Monde");
        var first = _content.Author("Rémi Castel");
        var second = _content.Author("Ola Nyberg");
        var tag = _content.Tag("Frontières");
        var article = _content.Article(section, "Une frontière fermée dans la nuit", TestContent.Now.AddHours(-6), authors: [first, second], tags: [tag]);
        article.HeroMedia = new MediaAsset { FileName = "test/meta.jpg", Width = 1600, Height = 900, Alt = "Un poste-frontière", Credit = "X", CreatedAt = TestContent.Now };
        article.SeoTitle = "Frontière fermée : ce que l’on sait";
        article.SeoDescription = "Le point sur la fermeture de la frontière, heure par heure.";
        article.UpdatedAt = TestContent.Now.AddHours(-2);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return (article, section, tag, first, second);
    }

    [Fact]
    public async Task Every_page_kind_has_a_canonical_url_a_title_and_social_cards()
    {
        using var client = site.Reader();
        var (article, section, tag, first, _) = await SeedAsync();
        var pages = new (string Path, int Status, string? Canonical)[]
        {
            ("/", 200, "https://journal.test/"),
            ($"/article/{article.Slug}", 200, $"https://journal.test/article/{article.Slug}"),
            ($"/rubrique/{section.Slug}", 200, $"https://journal.test/rubrique/{section.Slug}"),
            ($"/theme/{tag.Slug}", 200, $"https://journal.test/theme/{tag.Slug}"),
            ($"/auteur/{first.Slug}", 200, $"https://journal.test/auteur/{first.Slug}"),
            ("/recherche?q=fronti%C3%A8re&utm_source=x", 200, "https://journal.test/recherche?q=fronti%C3%A8re"),
            // A missing page is no copy of another: it claims no canonical URL at all.
            ("/nulle-part", 404, null),
        };
        foreach (var (path, status, canonical) in pages)
        {
            var page = await client.GetDocumentAsync(path, status);
            Assert.Equal(canonical, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
            Assert.Equal(canonical, Meta(page, "og:url"));
            Assert.False(string.IsNullOrWhiteSpace(page.Title), path);
            Assert.Equal(page.Title, Meta(page, "og:title"));
            Assert.StartsWith("https://journal.test/", Meta(page, "og:image"), StringComparison.Ordinal);
            Assert.NotNull(Meta(page, "og:image:width"));
            Assert.NotNull(Meta(page, "og:image:height"));
            Assert.NotNull(Meta(page, "twitter:card"));
            Assert.Equal("fr_FR", Meta(page, "og:locale"));
            if (status == 200)
            {
                Assert.False(string.IsNullOrWhiteSpace(Meta(page, "description")), $"{path} has no description");
                Assert.Equal(Meta(page, "description"), Meta(page, "og:description"));
            }
        }
    }

    [Fact]
    public async Task Article_head_uses_the_seo_fields_and_the_whole_open_graph_set()
    {
        using var client = site.Reader();
        var (article, section, tag, first, second) = await SeedAsync();

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        Assert.Equal("Frontière fermée : ce que l’on sait", page.Title);
        Assert.Equal("Le point sur la fermeture de la frontière, heure par heure.", Meta(page, "description"));
        Assert.Equal("article", Meta(page, "og:type"));
        Assert.Equal($"https://journal.test/article/{article.Slug}", Meta(page, "og:url"));
        Assert.Equal("https://journal.test/media/test/meta.jpg", Meta(page, "og:image"));
        Assert.Equal("1600", Meta(page, "og:image:width"));
        Assert.Equal("900", Meta(page, "og:image:height"));
        Assert.Equal("Un poste-frontière", Meta(page, "og:image:alt"));
        Assert.Equal("summary_large_image", Meta(page, "twitter:card"));
        Assert.NotNull(Meta(page, "article:published_time"));
        Assert.NotNull(Meta(page, "article:modified_time"));
        Assert.Equal(section.Name, Meta(page, "article:section"));
        Assert.Equal([tag.Name], page.QuerySelectorAll("meta[property='article:tag']").Select(m => m.GetAttribute("content")));
        Assert.Equal([$"https://journal.test/auteur/{first.Slug}", $"https://journal.test/auteur/{second.Slug}"],
            page.QuerySelectorAll("meta[property='article:author']").Select(m => m.GetAttribute("content")));
    }

    [Fact]
    public async Task Article_json_ld_is_a_complete_NewsArticle_with_its_breadcrumbs()
    {
        using var client = site.Reader();
        var (article, section, tag, first, second) = await SeedAsync();

        var data = JsonLd(await client.GetDocumentAsync($"/article/{article.Slug}"));

        var news = data["NewsArticle"];
        Assert.Equal(article.Headline, news.GetProperty("headline").GetString());
        Assert.Equal("Le point sur la fermeture de la frontière, heure par heure.", news.GetProperty("description").GetString());
        var image = news.GetProperty("image")[0];
        Assert.Equal("ImageObject", image.GetProperty("@type").GetString());
        Assert.Equal("https://journal.test/media/test/meta.jpg", image.GetProperty("url").GetString());
        Assert.Equal(1600, image.GetProperty("width").GetInt32());
        Assert.Equal(900, image.GetProperty("height").GetInt32());
        Assert.All(news.GetProperty("author").EnumerateArray(), a => Assert.Equal("Person", a.GetProperty("@type").GetString()));
        Assert.Equal([$"https://journal.test/auteur/{first.Slug}", $"https://journal.test/auteur/{second.Slug}"],
            news.GetProperty("author").EnumerateArray().Select(a => a.GetProperty("url").GetString()));
        var publisher = news.GetProperty("publisher");
        Assert.Equal("Le Courrier du Delta", publisher.GetProperty("name").GetString());
        Assert.Equal("https://journal.test/logo.png", publisher.GetProperty("logo").GetProperty("url").GetString());
        Assert.Equal(section.Name, news.GetProperty("articleSection").GetString());
        Assert.Equal([tag.Name], news.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.True(news.GetProperty("isAccessibleForFree").GetBoolean());
        Assert.True(news.TryGetProperty("datePublished", out _));
        Assert.True(news.TryGetProperty("dateModified", out _));

        var crumbs = data["BreadcrumbList"].GetProperty("itemListElement").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], crumbs.Select(c => c.GetProperty("position").GetInt32()));
        Assert.Equal(["https://journal.test/", $"https://journal.test/rubrique/{section.Slug}", $"https://journal.test/article/{article.Slug}"],
            crumbs.Select(c => c.GetProperty("item").GetString()));
        Assert.Equal(section.Name, crumbs[1].GetProperty("name").GetString());
    }

    [Theory]
    // Edited long after publication; published after its last edit (scheduled, or republished
    // under a new date); edited a minute after publication (a typo: not an update).
    [InlineData(-6, -2, -2)]
    [InlineData(-2, -30, -2)]
    [InlineData(-3, -2.98, -3)]
    public async Task Open_graph_and_json_ld_give_one_modified_date_never_before_publication(double publishedHours, double updatedHours, double modifiedHours)
    {
        using var client = site.Reader();
        var article = _content.Article(_content.Section(), "Une date de mise à jour", TestContent.Now.AddHours(publishedHours));
        article.UpdatedAt = TestContent.Now.AddHours(updatedHours);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        var news = JsonLd(page)["NewsArticle"];
        var published = DateTime.Parse(Meta(page, "article:published_time")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var modified = DateTime.Parse(Meta(page, "article:modified_time")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.Equal(Meta(page, "article:published_time"), news.GetProperty("datePublished").GetString());
        Assert.Equal(Meta(page, "article:modified_time"), news.GetProperty("dateModified").GetString());
        Assert.True(modified >= published, $"modified {modified:O} before published {published:O}");
        Assert.InRange((modified - TestContent.Now.AddHours(modifiedHours)).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_article_without_a_hero_shows_the_logo_in_its_json_ld()
    {
        using var client = site.Reader();
        var article = _content.Article(_content.Section(), "Un article sans photo");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var news = JsonLd(await client.GetDocumentAsync($"/article/{article.Slug}"))["NewsArticle"];

        // Google requires an image on a NewsArticle.
        var image = Assert.Single(news.GetProperty("image").EnumerateArray());
        Assert.Equal("ImageObject", image.GetProperty("@type").GetString());
        Assert.Equal("https://journal.test/logo.png", image.GetProperty("url").GetString());
        Assert.True(image.GetProperty("width").GetInt32() > 0);
        Assert.True(image.GetProperty("height").GetInt32() > 0);
    }

    [Fact]
    public async Task Home_describes_the_website_and_its_search_box_and_lists_have_breadcrumbs()
    {
        using var client = site.Reader();
        var (_, _, tag, first, _) = await SeedAsync();

        var website = JsonLd(await client.GetDocumentAsync("/"))["WebSite"];
        Assert.Equal("https://journal.test/", website.GetProperty("url").GetString());
        var action = website.GetProperty("potentialAction");
        Assert.Equal("SearchAction", action.GetProperty("@type").GetString());
        Assert.Equal("https://journal.test/recherche?q={search_term_string}", action.GetProperty("target").GetProperty("urlTemplate").GetString());
        Assert.Equal("required name=search_term_string", action.GetProperty("query-input").GetString());

        var tagPage = await client.GetDocumentAsync($"/theme/{tag.Slug}");
        var crumbs = JsonLd(tagPage)["BreadcrumbList"].GetProperty("itemListElement");
        Assert.Equal($"https://journal.test/theme/{tag.Slug}", crumbs[1].GetProperty("item").GetString());
        Assert.Contains(tag.Name, Meta(tagPage, "description"), StringComparison.Ordinal);

        var authorPage = await client.GetDocumentAsync($"/auteur/{first.Slug}");
        Assert.Equal("profile", Meta(authorPage, "og:type"));
        Assert.Equal("summary", Meta(authorPage, "twitter:card"));
    }
}

public sealed class PageMetadataSqliteTests(SqliteSite site) : PageMetadataTests(site), IClassFixture<SqliteSite>;

public sealed class PageMetadataPostgresTests(PostgresSite site) : PageMetadataTests(site), IClassFixture<PostgresSite>;
