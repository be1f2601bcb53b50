using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Site;

/// <summary>The home page shows the whole site, so each provider gets a database of its own here.</summary>
public abstract class HomePageTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Home_page_leads_with_the_newest_story_then_the_latest_pieces_paginated()
    {
        using var client = site.Reader();
        var section = _content.Section("Social");
        var articles = Enumerable.Range(1, 14)
            .Select(i => _content.Article(section, $"Dépêche {i}", TestContent.Now.AddMinutes(-i)))
            .Append(_content.Article(section, "Brouillon caché", TestContent.Now, ArticleStatus.Draft))
            .ToArray<object>();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));

        var home = await client.GetDocumentAsync("/");

        Assert.Equal("Dépêche 1", home.QuerySelector(".lead .card-headline").Text());
        Assert.Equal(Enumerable.Range(2, 11).Select(i => $"Dépêche {i}"), home.QuerySelectorAll(".latest .card-headline").Select(h => h.Text()));
        Assert.Single(home.QuerySelectorAll("h1"));
        Assert.Contains(home.QuerySelectorAll(".sections a"), a => a.Text() == section.Name);

        var older = await client.GetDocumentAsync("/?page=2");
        Assert.Null(older.QuerySelector(".lead"));
        Assert.Equal(["Dépêche 13", "Dépêche 14"], older.QuerySelectorAll(".card-headline").Select(h => h.Text()));
        Assert.DoesNotContain("Brouillon caché", older.Source.Text, StringComparison.Ordinal);
        await client.GetDocumentAsync("/?page=3", 404);
    }

    [Fact]
    public async Task The_stylesheet_is_fingerprinted_cached_for_a_year_and_has_dark_and_print_styles()
    {
        using var client = site.Reader();
        var home = await client.GetDocumentAsync("/");
        var href = home.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        Assert.Matches(@"^/css/site\.[0-9a-z]+\.css$", href);

        using var css = await client.GetAsync(href);
        Assert.Equal(System.Net.HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var text = await css.Content.ReadAsStringAsync();
        Assert.Contains("prefers-color-scheme: dark", text, StringComparison.Ordinal);
        Assert.Contains("@media print", text, StringComparison.Ordinal);
        Assert.Equal("light dark", home.QuerySelector("meta[name=color-scheme]")!.GetAttribute("content"));
        // JSON-LD is data for search engines, not a script that runs.
        Assert.Empty(home.QuerySelectorAll("script:not([type='application/ld+json'])"));
    }
}

public sealed class HomePageSqliteTests(HomePageSqliteTests.Site site) : HomePageTests(site), IClassFixture<HomePageSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite);
}

public sealed class HomePagePostgresTests(HomePagePostgresTests.Site site) : HomePageTests(site), IClassFixture<HomePagePostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres);
}
