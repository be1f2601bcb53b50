using System.Net;
using System.Net.Http.Headers;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Media;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>The live console: posting, editing, pinning, deleting and ending, by role, seen from the reader's page.</summary>
public abstract class LiveConsoleTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private async Task<int> NewLivePageAsync(HttpClient client)
    {
        await site.WithDbAsync(db => TestContent.SaveAsync(db, _content.Section()));
        using var created = await client.PostFormAsync("/newsroom/direct");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        Assert.StartsWith("/newsroom/direct/", location, StringComparison.Ordinal);
        return int.Parse(location["/newsroom/direct/".Length..location.IndexOf('?', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<string> PublishAsync(int id) => site.WithDbAsync(async db =>
    {
        var article = await db.Articles.SingleAsync(a => a.Id == id);
        article.Headline = "Le direct de la manifestation";
        article.Slug = _content.Unique("direct-manifestation");
        article.Status = ArticleStatus.Published;
        article.PublishedAt = DateTime.UtcNow;
        await db.SaveChangesAsync();
        return article.Slug;
    });

    private static async Task<HttpResponseMessage> PostEntryAsync(HttpClient client, int id, string text, byte[]? photo = null, string credit = "", bool key = false, string title = "")
    {
        var token = await client.TokenAsync($"/newsroom/direct/{id}");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(text), "text" },
            { new StringContent(title), "title" },
            { new StringContent(credit), "credit" },
        };
        if (key)
        {
            form.Add(new StringContent("on"), "key");
        }
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "cortege.jpg");
        }
        return await client.PostAsync($"/newsroom/direct/{id}/entrees", form);
    }

    private Task<int> EntryIdAsync(int page, string containing) => site.WithDbAsync(db =>
        db.LiveEntries.Where(e => e.ArticleId == page && e.Body.Contains(containing)).Select(e => e.Id).SingleAsync());

    [Fact]
    public async Task A_contributor_posts_text_and_a_credited_photo_in_one_form_and_hostile_markup_is_sanitised()
    {
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor, name: "Léa Reporter");
        using var _1 = contributor;
        var id = await NewLivePageAsync(contributor);
        using (var posted = await PostEntryAsync(contributor, id, "Le cortège <b>avance</b>.<script>alert('x')</script><img src=x onerror=alert(1)>\n\nDeuxième paragraphe.",
            TestImages.Jpeg(640, 480, (90, 40, 10)), credit: "Léa Reporter / Kiosque", key: true, title: "Le cortège part"))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        var slug = await PublishAsync(id);

        using var reader = site.Reader();
        var page = await reader.GetDocumentAsync($"/direct/{slug}");
        var entry = page.QuerySelector(".live-feed .live-entry")!;
        Assert.Equal("Le cortège part", entry.QuerySelector(".live-entry-title").Text());
        Assert.Equal("avance", entry.QuerySelector(".live-entry-body b").Text());
        Assert.Equal(2, entry.QuerySelectorAll(".live-entry-body p").Length);
        Assert.Null(entry.QuerySelector("script"));
        Assert.DoesNotContain("onerror", entry.OuterHtml, StringComparison.Ordinal);
        Assert.Contains("Léa Reporter / Kiosque", entry.QuerySelector("figure").Text(), StringComparison.Ordinal);
        Assert.Contains("Le cortège part", page.QuerySelector(".live-key-events").Text(), StringComparison.Ordinal);
        var picture = entry.QuerySelector("img")!.GetAttribute("src")!;
        using var image = await reader.GetAsync(picture, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);

        using var empty = await PostEntryAsync(contributor, id, "  <script></script> ");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Contributors_change_only_their_own_entries_and_editors_pin_delete_with_a_note_and_end_the_coverage()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor, name: "Marc Chef");
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor, name: "Léa Reporter");
        using var _1 = editor;
        using var _2 = contributor;
        var id = await NewLivePageAsync(editor);
        var slug = await PublishAsync(id);
        (await PostEntryAsync(editor, id, "Entrée de la cheffe.")).Dispose();
        (await PostEntryAsync(contributor, id, "Entrée de la reporter.")).Dispose();
        var editorsEntry = await EntryIdAsync(id, "cheffe");
        var contributorsEntry = await EntryIdAsync(id, "reporter");

        using (var refused = await contributor.PostFormAsync($"/newsroom/direct/{id}/entrees/{editorsEntry}/supprimer", ("note", "Non.")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var refused = await contributor.PostFormAsync($"/newsroom/direct/{id}/terminer"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var edited = await contributor.PostFormAsync($"/newsroom/direct/{id}/entrees/{contributorsEntry}", ("title", ""), ("text", "Entrée de la reporter, corrigée."), ("correction", "Le lieu était mal indiqué.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        }
        using (var pinned = await editor.PostFormAsync($"/newsroom/direct/{id}/entrees/{contributorsEntry}/epingler"))
        {
            Assert.Equal(HttpStatusCode.Redirect, pinned.StatusCode);
        }
        using (var deleted = await editor.PostFormAsync($"/newsroom/direct/{id}/entrees/{editorsEntry}/supprimer", ("note", "Publiée par erreur.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        using var reader = site.Reader();
        var page = await reader.GetDocumentAsync($"/direct/{slug}");
        Assert.Contains("Entrée de la reporter, corrigée.", page.QuerySelector(".live-pinned").Text(), StringComparison.Ordinal);
        var correction = page.QuerySelector($"#entree-{contributorsEntry} .live-entry-correction").Text();
        Assert.Equal("Rectificatif : Le lieu était mal indiqué.", correction);
        var deletedEntry = page.GetElementById($"entree-{editorsEntry}")!;
        Assert.Contains("Entrée supprimée à", deletedEntry.Text(), StringComparison.Ordinal);
        Assert.Contains("Publiée par erreur.", deletedEntry.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("Entrée de la cheffe.", page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        using (var ended = await editor.PostFormAsync($"/newsroom/direct/{id}/terminer"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        }
        page = await reader.GetDocumentAsync($"/direct/{slug}");
        Assert.Equal("Direct terminé", page.QuerySelector(".live-badge").Text());
        Assert.Null(page.QuerySelector("[data-live-events]"));
        using var late = await PostEntryAsync(contributor, id, "Trop tard.");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }
}

public sealed class LiveConsoleSqliteTests(SqliteSite site) : LiveConsoleTests(site), IClassFixture<SqliteSite>;

public sealed class LiveConsolePostgresTests(PostgresSite site) : LiveConsoleTests(site), IClassFixture<PostgresSite>;
