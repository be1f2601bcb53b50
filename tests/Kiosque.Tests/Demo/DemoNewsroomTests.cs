using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Demo;
using Kiosque.Site;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Demo;

/// <summary>What a newcomer sees after <c>--demo</c>: a living French news site.</summary>
public abstract class DemoNewsroomTests(KiosqueFactory site)
{
    [Fact]
    public async Task The_demo_seeds_a_full_newsroom_whose_newest_story_is_hours_old()
    {
        using var client = site.Reader();
        var (published, sections, authors, newest) = await site.WithDbAsync<(int, int, int, DateTime?)>(async db => (
            await db.Published().CountAsync(),
            await db.Sections.CountAsync(),
            await db.Authors.CountAsync(),
            await db.Published().MaxAsync(a => a.PublishedAt)));

        Assert.True(published >= 24, $"{published} published articles");
        Assert.True(sections >= 6, $"{sections} sections");
        Assert.True(authors >= 8, $"{authors} authors");
        Assert.InRange(DateTime.UtcNow - newest!.Value, TimeSpan.FromMinutes(30), TimeSpan.FromHours(12));

        var home = await client.GetDocumentAsync("/");
        Assert.NotNull(home.QuerySelector(".lead .card-headline a"));
        Assert.True(home.QuerySelectorAll(".sections a").Length >= 6);
        Assert.NotNull(home.QuerySelector(".pager a[rel=next]"));

        // Every picture the home page shows is really served.
        foreach (var src in home.QuerySelectorAll("img").Select(i => i.GetAttribute("src")!).Distinct().Take(5))
        {
            using var image = await client.GetAsync(src);
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task The_demo_live_page_has_an_afternoon_of_entries_a_pinned_one_key_events_a_correction_and_a_deletion()
    {
        using var client = site.Reader();
        const string slug = "meranne-manifestation-aides-a-domicile-en-direct";
        var page = await client.GetDocumentAsync($"/direct/{slug}");
        Assert.Equal("En direct", page.QuerySelector(".live-badge").Text());
        Assert.NotNull(page.QuerySelector(".live-pinned .live-entry"));
        Assert.True(page.QuerySelectorAll(".live-key-events li").Length >= 5);
        Assert.Equal(LivePage.PageSize, page.QuerySelectorAll(".live-feed [data-entry]").Length);
        Assert.NotNull(page.QuerySelector(".live-feed .live-entry-correction"));
        var total = await site.WithDbAsync(db => db.LiveEntries.CountAsync(e => db.Articles.Any(a => a.Id == e.ArticleId && a.Slug == slug)));
        Assert.InRange(total, 35, 50);
        var older = await client.GetDocumentAsync(page.QuerySelector(".live-older a")!.GetAttribute("href")!);
        Assert.Contains("Entrée supprimée à", older.QuerySelector(".live-entry-deleted").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reference_shaped_article_has_every_part_of_the_anatomy()
    {
        using var client = site.Reader();
        var slug = DemoNewsroom.Load().Articles[0].Slug;

        var page = await client.GetDocumentAsync($"/article/{slug}");

        Assert.Equal(2, page.QuerySelectorAll("a[rel=author]").Length);
        Assert.StartsWith("Crédit photo : ", page.QuerySelector("figure.hero .credit").Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector(".quote-unverified .sourcing"));
        Assert.Contains("pas pu être vérifiés de manière indépendante", page.QuerySelector(".quote-unverified .sourcing").Text());
        Assert.NotNull(page.QuerySelector(".corrections li"));
        Assert.NotNull(page.QuerySelector(".updated time"));
        Assert.Equal(4, page.QuerySelectorAll(".related .card").Length);
    }

    [Fact]
    public async Task A_demo_article_shows_an_embed_a_body_image_a_list_a_heading_and_a_read_also()
    {
        // The browser checks (Nu HTML Checker, axe-core, network log) read this article for that markup.
        string[] kinds = ["embed", "image", "list", "heading", "readAlso"];
        var demo = DemoNewsroom.Load().Articles.FirstOrDefault(a => a.Status is null && kinds.All(k => a.Blocks.Any(b => b.GetProperty("type").GetString() == k)));
        Assert.NotNull(demo);
        using var client = site.Reader();

        var page = await client.GetDocumentAsync($"/article/{demo.Slug}");

        var body = page.QuerySelector(".article-body")!;
        Assert.NotNull(body.QuerySelector(".embed a[href^='https://']"));
        Assert.NotNull(body.QuerySelector("figure.body-image img"));
        Assert.NotNull(body.QuerySelector("ul li, ol li"));
        Assert.NotNull(body.QuerySelector("h2"));
        Assert.NotNull(body.QuerySelector(".read-also a[href^='/article/']"));
    }

    [Fact]
    public async Task Demo_drafts_stay_hidden_and_the_demo_never_seeds_twice()
    {
        using var client = site.Reader();
        foreach (var hidden in DemoNewsroom.Load().Articles.Where(a => a.Status is not null))
        {
            await client.GetDocumentAsync($"/article/{hidden.Slug}", 404);
        }

        var before = await site.WithDbAsync(db => db.Articles.CountAsync());
        await using var scope = site.Services.CreateAsyncScope();
        var seeded = await scope.ServiceProvider.GetRequiredService<DemoNewsroom>().SeedIfEmptyAsync();
        Assert.False(seeded);
        Assert.Equal(before, await site.WithDbAsync(db => db.Articles.CountAsync()));
    }
}

public sealed class DemoNewsroomSqliteTests(DemoNewsroomSqliteTests.Site site) : DemoNewsroomTests(site), IClassFixture<DemoNewsroomSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:Demo"] = "true" });
}

public sealed class DemoNewsroomPostgresTests(DemoNewsroomPostgresTests.Site site) : DemoNewsroomTests(site), IClassFixture<DemoNewsroomPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Kiosque:Demo"] = "true" });
}
