using System.Text.Json;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Api;

/// <summary>The changes feed an app or a mirror follows to catch up: order, tombstones, cursors, and nothing of drafts.</summary>
public abstract class ChangesApiTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task A_publication_is_an_upsert_an_unpublication_a_tombstone_without_the_drafts_data_and_a_draft_nothing()
    {
        var section = _content.Section();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section));
        using var reader = site.Reader();
        var head = await HeadAsync(reader);

        var published = _content.Article(section, "Publié dans le flux");
        var draft = _content.Article(section, "Brouillon hors du flux", status: ArticleStatus.Draft);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, published));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, draft));
        await EditAsync(draft.Id, a => a.Headline = "Brouillon encore modifié");

        var page = await ChangesAsync(reader, head);
        Assert.Equal([(published.Id, "upsert", published.Slug)], ArticleEntries(page));
        Assert.DoesNotContain(page.GetProperty("data").EnumerateArray(), e => e.GetProperty("kind").GetString() == "article" && e.GetProperty("id").GetInt32() == draft.Id);
        Assert.DoesNotContain("Brouillon", page.GetRawText(), StringComparison.Ordinal);
        var afterPublication = page.GetProperty("meta").GetProperty("changes").GetProperty("next").GetString()!;

        // Withdrawn, then reworked while not public: the feed says it is gone, and nothing of the new version.
        await EditAsync(published.Id, a => a.Status = ArticleStatus.Unpublished);
        await EditAsync(published.Id, a =>
        {
            a.Headline = "Titre confidentiel";
            a.Slug = _content.Unique("slug-confidentiel");
        });
        var withdrawn = await ChangesAsync(reader, afterPublication);
        Assert.Equal([(published.Id, "delete", null)], ArticleEntries(withdrawn));
        Assert.DoesNotContain("confidentiel", withdrawn.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(published.Slug, withdrawn.GetRawText(), StringComparison.Ordinal);

        // From the earlier cursor, the current state: one entry for the article, a tombstone.
        Assert.Equal([(published.Id, "delete", null)], ArticleEntries(await ChangesAsync(reader, head)));
    }

    [Fact]
    public async Task Resuming_from_any_entrys_cursor_gives_exactly_the_later_changes_and_next_links_page_through()
    {
        var section = _content.Section();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section));
        using var reader = site.Reader();
        var head = await HeadAsync(reader);
        var articles = Enumerable.Range(1, 4).Select(i => _content.Article(section, $"Suite {i}")).ToList();
        foreach (var article in articles)
        {
            await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        }

        var all = await ChangesAsync(reader, head);
        Assert.Equal(articles.Select(a => (a.Id, (string?)"upsert", (string?)a.Slug)), ArticleEntries(all));
        var entries = all.GetProperty("data").EnumerateArray().ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var resumed = await ChangesAsync(reader, entries[i].GetProperty("cursor").GetString()!);
            Assert.Equal(entries.Skip(i + 1).Select(Identity), resumed.GetProperty("data").EnumerateArray().Select(Identity));
        }

        // Two at a time, following the next links, gives the same entries in the same order.
        var followed = new List<string>();
        var url = $"/api/v1/changes?since={head}&limit=2";
        for (var pages = 0; pages < 50; pages++)
        {
            var (response, json) = await ContentApiTests.GetJsonAsync(reader, url);
            followed.AddRange(json.GetProperty("data").EnumerateArray().Select(Identity));
            var changes = json.GetProperty("meta").GetProperty("changes");
            if (!changes.GetProperty("hasMore").GetBoolean())
            {
                break;
            }
            var next = json.GetProperty("links").GetProperty("next").GetString()!;
            Assert.Contains($"<{next}>; rel=\"next\"", string.Join(",", response.Headers.GetValues("Link")), StringComparison.Ordinal);
            url = next;
        }
        Assert.Equal(entries.Select(Identity), followed);

        await ContentApiTests.AssertProblemAsync(reader, "/api/v1/changes?since=not-a-cursor!", System.Net.HttpStatusCode.BadRequest, "cursor");
        await ContentApiTests.AssertProblemAsync(reader, "/api/v1/changes?limit=501", System.Net.HttpStatusCode.BadRequest, "limit");
    }

    /// <summary>PostgreSQL only: SQLite has one writer at a time, so its changes never commit out of order.</summary>
    protected async Task A_change_that_commits_after_a_later_one_was_served_is_not_skipped()
    {
        var section = _content.Section();
        var slow = _content.Article(section, "Transaction lente");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, slow));
        using var reader = site.Reader();
        var head = await HeadAsync(reader);

        // The slow transaction takes its change id first and commits last.
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var stored = await db.Articles.SingleAsync(a => a.Id == slow.Id);
        stored.Headline = "Transaction lente, enfin validée";
        await db.SaveChangesAsync();

        var fast = _content.Article(section, "Transaction rapide");
        await site.WithDbAsync(other => TestContent.SaveAsync(other, fast));
        var before = await ChangesAsync(reader, head);
        Assert.Equal([(fast.Id, "upsert", fast.Slug)], ArticleEntries(before));

        await transaction.CommitAsync();
        var after = await ChangesAsync(reader, before.GetProperty("meta").GetProperty("changes").GetProperty("next").GetString()!);
        Assert.Equal([(slow.Id, "upsert", slow.Slug)], ArticleEntries(after));
    }

    /// <summary>The cursor after every change so far: where an app that has caught up stands.</summary>
    private static async Task<string> HeadAsync(HttpClient reader)
    {
        var cursor = "";
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await ChangesAsync(reader, cursor, 500);
            var changes = page.GetProperty("meta").GetProperty("changes");
            cursor = changes.GetProperty("next").GetString()!;
            if (!changes.GetProperty("hasMore").GetBoolean())
            {
                return cursor;
            }
        }
        throw new InvalidOperationException("The changes feed never ended.");
    }

    private static async Task<JsonElement> ChangesAsync(HttpClient reader, string since, int limit = 500) =>
        (await ContentApiTests.GetJsonAsync(reader, $"/api/v1/changes?limit={limit}" + (since.Length == 0 ? "" : $"&since={since}"))).Json;

    private static List<(int Id, string? Action, string? Slug)> ArticleEntries(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "article")
            .Select(e => (e.GetProperty("id").GetInt32(), e.GetProperty("action").GetString(), e.GetProperty("slug").GetString())).ToList();

    private static string Identity(JsonElement entry) =>
        $"{entry.GetProperty("kind").GetString()}:{entry.GetProperty("id").GetInt32()}:{entry.GetProperty("action").GetString()}";

    private Task EditAsync(int id, Action<Article> edit) => site.WithDbAsync(async db =>
    {
        var article = await db.Articles.SingleAsync(a => a.Id == id);
        edit(article);
        await db.SaveChangesAsync();
    });
}

public sealed class ChangesApiSqliteTests(SqliteSite site) : ChangesApiTests(site), IClassFixture<SqliteSite>;

public sealed class ChangesApiPostgresTests(PostgresSite site) : ChangesApiTests(site), IClassFixture<PostgresSite>
{
    [Fact]
    public Task A_late_commit_is_not_skipped() => A_change_that_commits_after_a_later_one_was_served_is_not_skipped();
}
