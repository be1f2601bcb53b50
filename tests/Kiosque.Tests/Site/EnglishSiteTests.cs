using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Site;

/// <summary>Every UI string comes from resources: with <c>Kiosque:Culture=en</c> the same pages read in English.</summary>
public sealed class EnglishSiteTests(EnglishSiteTests.Site site) : IClassFixture<EnglishSiteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:Culture"] = "en" });

    [Fact]
    public async Task The_site_speaks_English_when_the_operator_says_so()
    {
        var content = new TestContent();
        using var client = site.Reader();
        var section = content.Section();
        var author = content.Author("Ada Lane");
        var article = content.Article(section, "A headline", new DateTime(2022, 1, 7, 10, 0, 0, DateTimeKind.Utc), authors: [author]);
        article.UpdatedAt = article.PublishedAt!.Value.AddHours(5);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("en_US", page.QuerySelector("meta[property='og:locale']")!.GetAttribute("content"));
        Assert.StartsWith("7 January 2022 at ", page.QuerySelector(".dates time").Text(), StringComparison.Ordinal);
        Assert.StartsWith("Published 7 January 2022", page.QuerySelector(".dates .published").Text(), StringComparison.Ordinal);
        Assert.Equal("By Ada Lane", page.QuerySelector(".authors").Text());
        Assert.StartsWith("Updated 7 January 2022 at", page.QuerySelector(".updated").Text(), StringComparison.Ordinal);
        Assert.Equal("Share this article", page.QuerySelector("nav.share")!.GetAttribute("aria-label"));
        Assert.Equal("Link to copy", page.QuerySelector("nav.share .share-copy label").Text());
        Assert.Equal("Subscribe in a feed reader:", page.QuerySelector(".site-footer .feed-links-label").Text());
        Assert.Equal("Le Courrier du Delta — RSS feed", page.QuerySelector("link[rel=alternate][type='application/rss+xml']")!.GetAttribute("title"));
        var authorFeed = System.Xml.Linq.XDocument.Parse(await client.GetStringAsync($"/auteur/{author.Slug}/rss.xml"));
        Assert.Equal("All stories by Ada Lane (Le Courrier du Delta).", authorFeed.Root!.Element("channel")!.Element("description")!.Value);
        Assert.Equal("Page not found", (await client.GetDocumentAsync("/nowhere", 404)).QuerySelector("h1").Text());
    }
}
