using System.Globalization;
using System.Net;
using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Media;
using Kiosque.Tests.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.ChangeLog;

/// <summary>
/// Every way the newsroom (and its scheduler) changes public content, each tried as an editor
/// would: the pages that showed the content before and those that show it after (article, home,
/// section, tag and author lists, their feeds, the news sitemap, search) are requested first so
/// they sit in the page cache, then the change is made through its real door, and every one of
/// them must be fresh on the very next request. Each write path goes through the change log, so
/// none may leave a stale page behind; the first test is the stale home page a scheduled
/// publication used to leave.
/// </summary>
public abstract class WritePathTests(WritePathTests.Site site)
{
    /// <summary>
    /// A fake clock for the scheduler, and cache entries that outlive any clock move in these
    /// tests, so only an eviction (never an expiry) can make a page fresh.
    /// </summary>
    public class Site(DatabaseKind kind) : ClockSite(kind, new Dictionary<string, string?> { ["Kiosque:PageCacheLifetime"] = "8640000" });

    private readonly TestContent _content = new();

    private sealed record Scene(Section Section, Tag Tag, Author Author, Article Article)
    {
        public string ArticlePath => $"/article/{Article.Slug}";

        /// <summary>Every public list and feed the article is in while it is public.</summary>
        public string[] Lists =>
        [
            "/", $"/rubrique/{Section.Slug}", $"/theme/{Tag.Slug}", $"/auteur/{Author.Slug}",
            "/rss.xml", "/atom.xml", "/feed.json", $"/rubrique/{Section.Slug}/atom.xml", $"/theme/{Tag.Slug}/feed.json", $"/auteur/{Author.Slug}/rss.xml",
            "/sitemaps/news.xml",
        ];
    }

    /// <summary>An article by its own author, in its own section and tag, in the given state; public ones are published through the newsroom, so they are the newest.</summary>
    private async Task<Scene> SceneAsync(HttpClient editor, string headline, bool published)
    {
        var (section, tag, author) = (_content.Section("Société"), _content.Tag("Port"), _content.Author("Inès Laval"));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, tag, author));
        var article = _content.Article(section, headline, status: ArticleStatus.Draft, authors: [author], tags: [tag]);
        // The pages are searched for the headline: the standfirst must not repeat it.
        article.Standfirst = "Un chapô qui ne répète pas le titre.";
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        var scene = new Scene(section, tag, author, article);
        if (published)
        {
            await StepAsync(editor, article.Id, "publish");
        }
        return scene;
    }

    private static async Task StepAsync(HttpClient editor, int id, string action, string? scheduledAt = null)
    {
        (string, string)[] fields = scheduledAt is null ? [("action", action)] : [("action", action), ("scheduledAt", scheduledAt)];
        using var response = await editor.PostFormAsync($"/newsroom/articles/{id}/statut", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> GetAsync(HttpClient reader, string path)
    {
        using var response = await reader.GetAsync(path);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : $"HTTP {(int)response.StatusCode}";
    }

    /// <summary>Requests every page so the cache holds it, and checks that it does (sitemaps have their own cache).</summary>
    private async Task WarmAsync(HttpClient reader, IEnumerable<string> paths)
    {
        var store = site.Services.GetRequiredService<PageStore>();
        foreach (var path in paths)
        {
            var body = await GetAsync(reader, path);
            if (!body.StartsWith("HTTP ", StringComparison.Ordinal) && !path.StartsWith("/sitemaps/", StringComparison.Ordinal))
            {
                Assert.True(store.TryGet("https://journal.test" + path, out _), $"{path} should be in the page cache before the change.");
            }
        }
    }

    private static async Task ExpectAsync(HttpClient reader, IEnumerable<string> paths, string text, bool shown)
    {
        foreach (var path in paths)
        {
            var body = await GetAsync(reader, path);
            if (shown)
            {
                Assert.True(body.Contains(text, StringComparison.Ordinal), $"{path} should show « {text} » right after the change: {body[..Math.Min(body.Length, 3000)]}");
            }
            else
            {
                Assert.False(body.Contains(text, StringComparison.Ordinal), $"{path} still shows « {text} » after the change.");
            }
        }
    }

    private async Task ExpectSearchAsync(HttpClient reader, string word, string text, bool shown)
    {
        await site.WaitForSearchIndexAsync();
        await ExpectAsync(reader, [$"/recherche?q={Uri.EscapeDataString(word)}"], text, shown);
    }

    private static string LocalInput(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_scheduled_article_joins_every_list_the_moment_the_scheduler_publishes_it()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "Les dockers votent la reprise", published: false);
            await StepAsync(editor, scene.Article.Id, "schedule", LocalInput(site.Clock.GetUtcNow().UtcDateTime.AddMinutes(10)));
            await WarmAsync(reader, scene.Lists);
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "Les dockers votent la reprise", shown: false);

            site.Clock.Advance(TimeSpan.FromMinutes(11));
            Assert.Equal(1, await site.PublishDueAsync());
            await site.WaitForChangeFeedAsync();

            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "Les dockers votent la reprise", shown: true);
            await ExpectSearchAsync(reader, "dockers reprise", "Les dockers votent la reprise", shown: true);
        }
    }

    [Fact]
    public async Task A_scheduled_article_sent_back_to_review_by_the_scheduler_stays_off_every_page()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "Le quai sans crédit photo", published: false);
            await StepAsync(editor, scene.Article.Id, "schedule", LocalInput(site.Clock.GetUtcNow().UtcDateTime.AddMinutes(10)));
            // Its headline went blank after scheduling: the scheduler's checks refuse it.
            await site.WithDbAsync(async db =>
            {
                var article = await db.Articles.FirstAsync(a => a.Id == scene.Article.Id);
                article.Headline = "";
                await db.SaveChangesAsync();
            });
            await WarmAsync(reader, scene.Lists);

            site.Clock.Advance(TimeSpan.FromMinutes(11));
            Assert.Equal(0, await site.PublishDueAsync());
            await site.WaitForChangeFeedAsync();

            Assert.Equal(ArticleStatus.Review, await site.WithDbAsync(db => db.Articles.Where(a => a.Id == scene.Article.Id).Select(a => a.Status).FirstAsync()));
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(scene.ArticlePath)).StatusCode);
            await ExpectAsync(reader, scene.Lists, scene.Article.Slug, shown: false);
        }
    }

    [Fact]
    public async Task Publishing_unpublishing_and_back_to_draft_refresh_every_page_that_lists_the_article()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "La criée ouvre ses portes", published: false);
            await StepAsync(editor, scene.Article.Id, "submit");
            await WarmAsync(reader, scene.Lists);

            await StepAsync(editor, scene.Article.Id, "publish");
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "La criée ouvre ses portes", shown: true);
            await ExpectSearchAsync(reader, "criée portes", "La criée ouvre ses portes", shown: true);

            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            await StepAsync(editor, scene.Article.Id, "unpublish");
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "La criée ouvre ses portes", shown: false);
            await ExpectSearchAsync(reader, "criée portes", "La criée ouvre ses portes", shown: false);

            await StepAsync(editor, scene.Article.Id, "draft");
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "La criée ouvre ses portes", shown: false);
        }
    }

    [Fact]
    public async Task An_editor_save_with_a_new_headline_section_and_slug_refreshes_the_old_and_the_new_pages()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "Le ferry reste à quai", published: true);
            var other = _content.Section("Économie");
            await site.WithDbAsync(db => TestContent.SaveAsync(db, other));
            var oldPath = scene.ArticlePath;
            await WarmAsync(reader, [.. scene.Lists, oldPath, $"/rubrique/{other.Slug}"]);

            var form = await EditorForm.LoadAsync(editor, scene.Article.Id);
            var slug = _content.Unique("le-ferry-repart");
            form.Set("headline", "Le ferry repart enfin").Set("slug", slug).Set("section", other.Id.ToString(CultureInfo.InvariantCulture));
            using (var saved = await form.PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            }

            await ExpectAsync(reader, [.. scene.Lists.Where(p => !p.StartsWith("/rubrique/", StringComparison.Ordinal)), $"/rubrique/{other.Slug}", $"/article/{slug}"], "Le ferry repart enfin", shown: true);
            await ExpectAsync(reader, [.. scene.Lists, $"/rubrique/{other.Slug}"], "Le ferry reste à quai", shown: false);
            await ExpectAsync(reader, [$"/rubrique/{scene.Section.Slug}"], "Le ferry repart enfin", shown: false);
            using var moved = await reader.GetAsync(oldPath);
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.Equal($"/article/{slug}", moved.Headers.Location?.OriginalString);
            await ExpectSearchAsync(reader, "ferry enfin", "Le ferry repart enfin", shown: true);
        }
    }

    [Fact]
    public async Task A_correction_shows_on_the_cached_article_and_in_its_feeds()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "Le bilan de la tempête", published: true);
            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            using (var corrected = await editor.PostFormAsync($"/newsroom/articles/{scene.Article.Id}/rectificatifs", ("text", "Le bilan était de trois blessés, non de quatre.")))
            {
                Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
            }
            await ExpectAsync(reader, [scene.ArticlePath], "Le bilan était de trois blessés, non de quatre.", shown: true);
        }
    }

    [Fact]
    public async Task Restoring_a_revision_and_merging_a_conflict_refresh_the_article_and_its_lists()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var scene = await SceneAsync(editor, "Première version du titre", published: true);
            using (await (await EditorForm.LoadAsync(editor, scene.Article.Id)).Set("standfirst", "Le chapô de la première version.").PostAsync(editor))
            {
            }
            var first = await site.WithDbAsync(db => db.Revisions.Where(r => r.ArticleId == scene.Article.Id && r.Kind != "conflict").OrderByDescending(r => r.Version).Select(r => r.Version).FirstAsync());
            using (await (await EditorForm.LoadAsync(editor, scene.Article.Id)).Set("headline", "Deuxième version du titre").PostAsync(editor))
            {
            }
            await WarmAsync(reader, [.. scene.Lists, $"/article/{scene.Article.Slug}"]);
            await ExpectAsync(reader, [scene.ArticlePath, "/"], "Deuxième version du titre", shown: true);

            using (var restored = await editor.PostFormAsync($"/newsroom/articles/{scene.Article.Id}/revisions/{first}/restaurer"))
            {
                Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
            }
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "Première version du titre", shown: true);
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "Deuxième version du titre", shown: false);

            // Two editors on one version: the second save is kept aside, then merged in.
            var stale = await EditorForm.LoadAsync(editor, scene.Article.Id);
            var fresh = await EditorForm.LoadAsync(editor, scene.Article.Id);
            using (await fresh.Set("standfirst", "Un chapô venu d'ailleurs.").PostAsync(editor))
            {
            }
            using var refused = await stale.Set("headline", "Le titre fusionné").PostAsync(editor);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var copy = await site.WithDbAsync(db => db.Revisions.Where(r => r.ArticleId == scene.Article.Id && r.Kind == "conflict").OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync());
            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            var version = await site.WithDbAsync(db => db.Articles.Where(a => a.Id == scene.Article.Id).Select(a => a.Version).FirstAsync());
            using (var merged = await editor.PostFormAsync($"/newsroom/articles/{scene.Article.Id}/fusion/{copy}", ("version", version.ToString(CultureInfo.InvariantCulture)), ("keep-headline", "mine")))
            {
                Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
            }
            await ExpectAsync(reader, [.. scene.Lists, scene.ArticlePath], "Le titre fusionné", shown: true);
        }
    }

    [Fact]
    public async Task Renaming_a_tag_an_author_and_a_section_refreshes_every_page_that_names_them()
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        using var reader = site.Reader();
        using (admin)
        {
            var scene = await SceneAsync(admin, "Les pêcheurs manifestent", published: true);
            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);

            using (await admin.PostFormAsync($"/newsroom/themes/{scene.Tag.Id}", ("name", "Pêche artisanale " + scene.Tag.Id), ("slug", scene.Tag.Slug)))
            {
            }
            await ExpectAsync(reader, [scene.ArticlePath, $"/theme/{scene.Tag.Slug}"], "Pêche artisanale " + scene.Tag.Id, shown: true);

            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            using (await admin.PostFormAsync($"/newsroom/auteurs/{scene.Author.Id}", ("name", "Inès Laval-Morin"), ("slug", scene.Author.Slug), ("description", "Correspondante au port.")))
            {
            }
            await ExpectAsync(reader, [scene.ArticlePath, "/", $"/rubrique/{scene.Section.Slug}", $"/auteur/{scene.Author.Slug}"], "Inès Laval-Morin", shown: true);

            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            using (await admin.PostFormAsync($"/newsroom/rubriques/{scene.Section.Id}", ("name", "Mer et littoral " + scene.Section.Id), ("slug", scene.Section.Slug), ("description", "Tout sur la mer.")))
            {
            }
            await ExpectAsync(reader, [scene.ArticlePath, $"/rubrique/{scene.Section.Slug}"], "Mer et littoral " + scene.Section.Id, shown: true);
            await ExpectSearchAsync(reader, "pêcheurs", "Les pêcheurs manifestent", shown: true);
        }
    }

    [Fact]
    public async Task Deleting_an_unused_tag_and_renaming_its_slug_answer_at_once_on_the_old_address()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var tag = _content.Tag("Digue");
            await site.WithDbAsync(db => TestContent.SaveAsync(db, tag));
            var oldPath = $"/theme/{tag.Slug}";
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(oldPath)).StatusCode);
            await WarmAsync(reader, [oldPath]);
            var newSlug = _content.Unique("digue-nord");
            using (await editor.PostFormAsync($"/newsroom/themes/{tag.Id}", ("name", tag.Name), ("slug", newSlug)))
            {
            }
            using (var moved = await reader.GetAsync(oldPath))
            {
                Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            }
            await WarmAsync(reader, [$"/theme/{newSlug}"]);
            using (var deleted = await editor.PostFormAsync($"/newsroom/themes/{tag.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/theme/{newSlug}")).StatusCode);
        }
    }

    [Fact]
    public async Task A_picture_edit_and_its_finished_renditions_refresh_the_articles_that_show_it()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var medium = await site.IngestAsync(TestImages.Jpeg(900, 600), new MediaUpload("quai.jpg", "Photo : A. Test", "Le quai au matin.", "Un quai de port vide au matin."));
            var scene = await SceneAsync(editor, "Le port au petit matin", published: false);
            await site.WithDbAsync(async db =>
            {
                var article = await db.Articles.FirstAsync(a => a.Id == scene.Article.Id);
                article.HeroMediaId = medium.Id;
                await db.SaveChangesAsync();
            });
            await StepAsync(editor, scene.Article.Id, "publish");
            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            var before = await GetAsync(reader, scene.ArticlePath);

            Assert.Equal(1, await site.RenderAsync(medium.Id));
            await site.WaitForChangeFeedAsync();
            var rendered = await GetAsync(reader, scene.ArticlePath);
            Assert.NotEqual(before, rendered);
            Assert.Contains("srcset", rendered, StringComparison.Ordinal);

            await WarmAsync(reader, [.. scene.Lists, scene.ArticlePath]);
            using (var saved = await editor.PostFormAsync($"/newsroom/medias/{medium.Id}", ("credit", "Photo : B. Autre"), ("caption", "Le quai sous la pluie."), ("alt", "Un quai de port sous la pluie."), ("focalX", "0.5"), ("focalY", "0.5")))
            {
                Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{(int)saved.StatusCode}");
            }
            await ExpectAsync(reader, [scene.ArticlePath], "Le quai sous la pluie.", shown: true);
            await ExpectAsync(reader, [scene.ArticlePath], "Photo : B. Autre", shown: true);
        }
    }

    [Fact]
    public async Task Curating_the_home_page_changes_its_lead_on_the_next_request()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var lead = await SceneAsync(editor, "La une choisie par la rédaction", published: true);
            var newer = await SceneAsync(editor, "Un article plus récent", published: true);
            await WarmAsync(reader, ["/"]);
            var home = await reader.GetDocumentAsync("/");
            Assert.DoesNotContain("La une choisie par la rédaction", home.QuerySelector("main article")?.TextContent ?? "", StringComparison.Ordinal);

            using (var curated = await editor.PostFormAsync("/newsroom/une", ("lead", lead.Article.Id.ToString(CultureInfo.InvariantCulture))))
            {
                Assert.Equal(HttpStatusCode.Redirect, curated.StatusCode);
            }
            home = await reader.GetDocumentAsync("/");
            Assert.Contains("La une choisie par la rédaction", home.QuerySelector("main article")?.TextContent ?? "", StringComparison.Ordinal);
            using (await editor.PostFormAsync("/newsroom/une"))
            {
            }
            Assert.Contains(newer.Article.Headline, (await reader.GetDocumentAsync("/")).QuerySelector("main article")?.TextContent ?? "", StringComparison.Ordinal);
        }
    }
}

public sealed class WritePathSqliteTests(WritePathSqliteTests.SqliteSite site) : WritePathTests(site), IClassFixture<WritePathSqliteTests.SqliteSite>
{
    public sealed class SqliteSite() : Site(DatabaseKind.Sqlite);
}

public sealed class WritePathPostgresTests(WritePathPostgresTests.PostgresSite site) : WritePathTests(site), IClassFixture<WritePathPostgresTests.PostgresSite>
{
    public sealed class PostgresSite() : Site(DatabaseKind.Postgres);
}
