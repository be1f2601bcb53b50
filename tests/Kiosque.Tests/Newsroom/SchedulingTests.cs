using System.Net;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Newsroom;

/// <summary>Scheduled publishing, corrections and expiring links, on a fake clock that the tests move forward.</summary>
public abstract class SchedulingTests(ClockSite site)
{
    private readonly TestContent _content = new();

    private DateTime Now => site.Clock.GetUtcNow().UtcDateTime;

    private async Task<Article> DraftAsync(string headline, ArticleStatus status = ArticleStatus.Draft, DateTime? scheduledAt = null)
    {
        var article = _content.Article(_content.Section(), headline, status: status);
        article.PublishedAt = null;
        article.ScheduledAt = scheduledAt;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return article;
    }

    private Task<Article> ReloadAsync(int id) => site.WithDbAsync(db => db.Articles.AsNoTracking().FirstAsync(a => a.Id == id));

    [Fact]
    public async Task A_scheduled_article_goes_live_when_its_time_comes_once()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var article = await DraftAsync("Le conseil municipal vote le budget");
            var local = TimeZoneInfo.ConvertTimeFromUtc(Now.AddHours(2), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
            using var scheduled = await editor.PostFormAsync($"/newsroom/articles/{article.Id}/statut", ("action", "schedule"), ("scheduledAt", local.ToString("yyyy-MM-ddTHH:mm")));
            Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);
            Assert.Equal(ArticleStatus.Scheduled, (await ReloadAsync(article.Id)).Status);

            Assert.Equal(0, await site.PublishDueAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{article.Slug}")).StatusCode);

            site.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
            Assert.True(await site.PublishDueAsync() >= 1);
            var live = await ReloadAsync(article.Id);
            Assert.Equal(ArticleStatus.Published, live.Status);
            Assert.InRange((live.PublishedAt!.Value - Now).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/article/{article.Slug}")).StatusCode);

            // Idempotent: polling again publishes nothing more and logs nothing more.
            Assert.Equal(0, await site.PublishDueAsync());
            var audits = await site.WithDbAsync(db => db.AuditLog.CountAsync(e => e.Action == "article.published" && e.Target.StartsWith($"#{article.Id} ")));
            Assert.Equal(1, audits);
        }
    }

    [Fact]
    public async Task A_scheduled_article_whose_picture_lost_its_credit_goes_back_to_review_not_live()
    {
        var photo = new MediaAsset { FileName = "test/programme.jpg", Width = 1600, Height = 900, Caption = "Une place", Credit = "Agence", Alt = "Une place vide", CreatedAt = DateTime.UtcNow };
        var article = await DraftAsync("Programmé avec une photo");
        await site.WithDbAsync(async db =>
        {
            db.Media.Add(photo);
            await db.SaveChangesAsync();
            (await db.Articles.FirstAsync(a => a.Id == article.Id)).HeroMediaId = photo.Id;
            await db.SaveChangesAsync();
        });
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        using var reader = site.Reader();
        using (editor)
        using (admin)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(Now.AddHours(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
            using (var scheduled = await editor.PostFormAsync($"/newsroom/articles/{article.Id}/statut", ("action", "schedule"), ("scheduledAt", local.ToString("yyyy-MM-ddTHH:mm"))))
            {
                Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);
            }
            // Meanwhile, the picture's credit is removed in the media library.
            await site.WithDbAsync(db => db.Media.Where(m => m.Id == photo.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.Credit, "")));

            site.Clock.Advance(TimeSpan.FromHours(2));
            await site.PublishDueAsync();

            var after = await ReloadAsync(article.Id);
            Assert.Equal(ArticleStatus.Review, after.Status);
            Assert.Null(after.ScheduledAt);
            Assert.Null(after.PublishedAt);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{article.Slug}")).StatusCode);
            // Once: the next polls leave it alone.
            await site.PublishDueAsync();
            var entries = await site.WithDbAsync(db => db.AuditLog.Where(e => e.Target.StartsWith($"#{article.Id} ") && e.UserId == null).ToListAsync());
            var refused = Assert.Single(entries);
            Assert.Equal("article.schedule-refused", refused.Action);
            Assert.Equal("publish.media-incomplete", refused.Details);

            // Administrators read why, in words.
            var log = await admin.GetDocumentAsync("/newsroom/journal");
            var row = log.QuerySelectorAll("tbody tr[data-action='article.schedule-refused']").First(r => r.Text().Contains($"#{article.Id} ", StringComparison.Ordinal));
            Assert.Equal("Système", row.Children[1].Text());
            Assert.Contains("n’a pas son crédit", row.Children[4].Text(), StringComparison.Ordinal);
            // The editors find it back among the pieces waiting for review.
            var dashboard = await editor.GetDocumentAsync("/newsroom");
            Assert.Contains(dashboard.QuerySelectorAll("section:has(#review) a"), a => a.GetAttribute("href") == $"/newsroom/articles/{article.Id}");
        }
    }

    [Fact]
    public async Task Articles_due_while_the_site_was_down_are_caught_up_and_two_nodes_never_publish_twice()
    {
        var due = new List<Article>();
        for (var i = 0; i < 6; i++)
        {
            due.Add(await DraftAsync($"Programmé pendant la panne {i}", ArticleStatus.Scheduled, Now.AddDays(-2).AddMinutes(i)));
        }
        // Far enough that no other test of this class, moving the clock by days, makes it due.
        var later = await DraftAsync("Programmé pour plus tard", ArticleStatus.Scheduled, Now.AddYears(5));

        // Two nodes poll at the same moment.
        var counts = await Task.WhenAll(site.PublishDueAsync(), site.PublishDueAsync());

        Assert.Equal(due.Count, counts.Sum());
        foreach (var article in due)
        {
            Assert.Equal(ArticleStatus.Published, (await ReloadAsync(article.Id)).Status);
        }
        Assert.Equal(ArticleStatus.Scheduled, (await ReloadAsync(later.Id)).Status);
        var ids = due.Select(a => a.Id).ToList();
        var changes = await site.WithDbAsync(db => db.ContentChanges.Where(c => c.Scope == ChangeScope.Article && ids.Contains(c.EntityId)).GroupBy(c => c.EntityId).Select(g => g.Count()).ToListAsync());
        // One change for the insert, one for the publication: never two publications.
        Assert.All(changes, count => Assert.Equal(2, count));
    }

    [Fact]
    public async Task A_correction_is_dated_public_and_moves_the_updated_time()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        using var reader = site.Reader();
        using (editor)
        using (contributor)
        {
            var article = await DraftAsync("Un bilan revu à la baisse");
            using (var published = await editor.PostFormAsync($"/newsroom/articles/{article.Id}/statut", ("action", "publish"))) { }
            var before = await ReloadAsync(article.Id);
            Assert.Null((await reader.GetDocumentAsync($"/article/{article.Slug}")).QuerySelector(".updated"));

            site.Clock.Advance(TimeSpan.FromHours(3));
            using var refused = await contributor.PostFormAsync($"/newsroom/articles/{article.Id}/rectificatifs", ("text", "Tentative."));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var empty = await editor.PostFormAsync($"/newsroom/articles/{article.Id}/rectificatifs", ("text", "  "));
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            using var corrected = await editor.PostFormAsync($"/newsroom/articles/{article.Id}/rectificatifs", ("text", "Une version précédente indiquait 40 blessés, il y en a eu 14. <script>x</script>"));
            Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);

            var after = await ReloadAsync(article.Id);
            Assert.Equal(before.PublishedAt, after.PublishedAt);
            Assert.Equal(Now, after.UpdatedAt, TimeSpan.FromSeconds(1));
            var page = await reader.GetDocumentAsync($"/article/{article.Slug}");
            var note = page.QuerySelector(".corrections li")!;
            Assert.Contains("il y en a eu 14.", note.Text(), StringComparison.Ordinal);
            Assert.DoesNotContain("script", note.InnerHtml, StringComparison.Ordinal);
            Assert.NotNull(note.QuerySelector("time"));
            Assert.Contains("Mis à jour le", page.QuerySelector(".updated").Text(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_shareable_preview_link_opens_the_draft_for_48_hours_then_answers_404()
    {
        var article = await DraftAsync("Un brouillon montré à une avocate");
        string link;
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            link = (await editor.GetDocumentAsync($"/newsroom/articles/{article.Id}")).QuerySelector("#shareable-preview")!.GetAttribute("value")!;
        }
        using var reader = site.Reader();

        site.Clock.Advance(PreviewLinks.Lifetime - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(link)).StatusCode);

        site.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_one_time_sign_in_link_works_for_an_hour_only()
    {
        // An account without a password, as the demo administrator is: the link is its only way in.
        var user = await site.CreateUserAsync(Roles.Admin, password: null);
        async Task<string> LinkAsync()
        {
            await using var scope = site.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Accounts>().OneTimeSignInPathAsync(user);
        }

        var stale = await LinkAsync();
        site.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        using (var browser = site.Browser())
        {
            using var refused = await browser.GetAsync(stale);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/newsroom/compte")).StatusCode);
        }

        var fresh = await LinkAsync();
        site.Clock.Advance(TimeSpan.FromMinutes(59));
        using (var browser = site.Browser())
        {
            using var used = await browser.GetAsync(fresh);
            Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/newsroom/compte")).StatusCode);
        }
    }
}

public sealed class SchedulingSqliteTests(SchedulingSqliteTests.Site site) : SchedulingTests(site), IClassFixture<SchedulingSqliteTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Sqlite);
}

public sealed class SchedulingPostgresTests(SchedulingPostgresTests.Site site) : SchedulingTests(site), IClassFixture<SchedulingPostgresTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Postgres);
}
