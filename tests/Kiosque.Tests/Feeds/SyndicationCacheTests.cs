using Kiosque.Content;
using Kiosque.Feeds;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Feeds;

/// <summary>
/// The syndication cache when full: the least recently served document makes room, not all of
/// them. Three places only, so filling it costs four requests. A change made behind the change
/// log's back (ExecuteUpdate) shows whether a document came from the cache.
/// </summary>
public abstract class SyndicationCacheTests(KiosqueFactory site)
{
    public static Dictionary<string, string?> SiteSettings => new() { ["Kiosque:SyndicationCacheEntries"] = "3" };

    private readonly TestContent _content = new();

    [Fact]
    public async Task A_full_cache_lets_the_least_recently_served_document_go_and_keeps_the_busy_one()
    {
        using var client = site.Reader();
        var section = _content.Section("Météo");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, _content.Article(section, "Orage annoncé")));
        Assert.Contains($"/rubrique/{section.Slug}<", await client.GetStringAsync(Sitemaps.PagesPath), StringComparison.Ordinal);
        var hidden = section.Slug + "-silencieux";
        await site.WithDbAsync(db => db.Sections.Where(s => s.Id == section.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Slug, hidden)));

        // The page list is asked for between every other document, as readers' apps ask for a
        // feed: a crawler walking other addresses must not push it out.
        foreach (var other in new[] { "/robots.txt", Sitemaps.IndexPath, Sitemaps.NewsPath, "/sitemaps/articles-1.xml" })
        {
            await client.GetStringAsync(other);
            var pages = await client.GetStringAsync(Sitemaps.PagesPath);
            Assert.Contains($"/rubrique/{section.Slug}<", pages, StringComparison.Ordinal);
            Assert.DoesNotContain(hidden, pages, StringComparison.Ordinal);
        }
    }
}

public sealed class SyndicationCacheSqliteTests(SyndicationCacheSqliteTests.Site site) : SyndicationCacheTests(site), IClassFixture<SyndicationCacheSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, SiteSettings);
}

public sealed class SyndicationCachePostgresTests(SyndicationCachePostgresTests.Site site) : SyndicationCacheTests(site), IClassFixture<SyndicationCachePostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, SiteSettings);
}
