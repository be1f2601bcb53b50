using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Search;

/// <summary>The search form, page and messages come from resources: in English when the operator says so.</summary>
public sealed class SearchEnglishTests(SearchEnglishTests.Site site) : IClassFixture<SearchEnglishTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:Culture"] = "en" });

    [Fact]
    public async Task Search_reads_in_English()
    {
        var content = new TestContent();
        var section = content.Section();
        var article = content.Article(section, "Les mineurs en grève");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        await site.WaitForSearchIndexAsync();
        using var client = site.Reader();

        var home = await client.GetDocumentAsync("/");
        Assert.Equal("Search the paper", home.QuerySelector("header form[role=search]")!.GetAttribute("aria-label"));
        Assert.Equal("Search", home.QuerySelector("header form[role=search] button").Text());

        var found = await client.GetDocumentAsync($"/recherche?q=greve&rubrique={section.Slug}");
        Assert.Equal("Results for “greve”", found.QuerySelector("h1").Text());
        Assert.Equal("1 article found", found.QuerySelector(".search-count").Text());
        Assert.Equal("All sections", found.QuerySelector("select[name=rubrique] option").Text());

        var none = await client.GetDocumentAsync($"/recherche?q=introuvable&rubrique={section.Slug}");
        Assert.Equal("No article matches “introuvable”.", none.QuerySelector(".search-empty p").Text());

        var bad = await client.GetDocumentAsync("/recherche?q=x&du=yesterday", 400);
        Assert.StartsWith("Invalid date", bad.QuerySelector(".search-message").Text(), StringComparison.Ordinal);
    }
}
