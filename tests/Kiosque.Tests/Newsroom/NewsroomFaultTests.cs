using System.Net;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>Races and failures made to happen at the worst moment (see <see cref="FaultSite"/>): no 500, nothing half-done.</summary>
public abstract class NewsroomFaultTests(FaultSite site) : IDisposable
{
    private readonly TestContent _content = new();

    private async Task<Article> ArticleAsync(ArticleStatus status, string headline)
    {
        var article = _content.Article(_content.Section(), headline, status: status);
        if (status != ArticleStatus.Published)
        {
            article.PublishedAt = null;
        }
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return article;
    }

    private Task<Article> ReloadAsync(int id) => site.WithDbAsync(db => db.Articles.AsNoTracking().FirstAsync(a => a.Id == id));

    /// <summary>An autosave lands right after the request at <paramref name="path"/> has read the article.</summary>
    private void SaveElsewhereDuring(string path, int articleId) =>
        site.Faults.AfterRead(
            command => site.RequestPath == path && command.CommandText.Contains("\"Articles\"", StringComparison.Ordinal),
            () => site.SaveElsewhere(articleId));

    [Fact]
    public async Task Signing_in_with_an_unknown_address_costs_a_password_check_like_a_real_account()
    {
        var user = await site.CreateUserAsync(Roles.Contributor);
        using var client = site.Browser();

        var before = site.Hasher.Verified;
        using (var unknown = await client.SignInAsync($"personne-{Guid.NewGuid():N}@redaction.test", "une phrase de passe quelconque"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }
        Assert.Equal(before + 1, site.Hasher.Verified);

        before = site.Hasher.Verified;
        using (var wrong = await client.SignInAsync(user.Email!, "une phrase de passe quelconque"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        Assert.Equal(before + 1, site.Hasher.Verified);
    }

    [Fact]
    public async Task A_locked_account_costs_a_password_check_like_an_unknown_one()
    {
        var user = await site.CreateUserAsync(Roles.Contributor);
        using var client = site.Browser();
        client.DefaultRequestHeaders.Add(RemoteAddressFilter.Header, "198.51.100.40");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SignInAsync(user.Email!, "une phrase de passe quelconque");
        }
        var before = site.Hasher.Verified;
        using (var locked = await client.SignInAsync(user.Email!, NewsroomSession.Password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        }
        Assert.Equal(before + 1, site.Hasher.Verified);
    }

    [Fact]
    public async Task Publishing_while_an_autosave_slips_in_changes_nothing_and_says_so()
    {
        var article = await ArticleAsync(ArticleStatus.Review, "Publié pendant une sauvegarde");
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var path = $"/newsroom/articles/{article.Id}/statut";
            var token = await editor.TokenAsync($"/newsroom/articles/{article.Id}");
            SaveElsewhereDuring(path, article.Id);
            using (var raced = await editor.PostAsync(path, NewsroomSession.Form(token, ("action", "publish"))))
            {
                Assert.Equal(HttpStatusCode.Conflict, raced.StatusCode);
                Assert.Contains("enregistré par ailleurs", (await Html.ParseAsync(raced)).QuerySelector("main").Text(), StringComparison.Ordinal);
            }
            Assert.Equal(ArticleStatus.Review, (await ReloadAsync(article.Id)).Status);
            Assert.False(await site.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.Action == "article.publish" && e.Target.StartsWith($"#{article.Id} "))));

            // Trying again, as the message says, works.
            using var again = await editor.PostAsync(path, NewsroomSession.Form(token, ("action", "publish")));
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            Assert.Equal(ArticleStatus.Published, (await ReloadAsync(article.Id)).Status);
        }
    }

    [Fact]
    public async Task A_correction_is_kept_when_an_autosave_slips_in()
    {
        var article = await ArticleAsync(ArticleStatus.Published, "Corrigé pendant une sauvegarde");
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var path = $"/newsroom/articles/{article.Id}/rectificatifs";
            var token = await editor.TokenAsync($"/newsroom/articles/{article.Id}");
            SaveElsewhereDuring(path, article.Id);
            using var corrected = await editor.PostAsync(path, NewsroomSession.Form(token, ("text", "Le bilan était de 14 blessés, non 40.")));

            Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
            Assert.Equal(["Le bilan était de 14 blessés, non 40."], await site.WithDbAsync(db => db.Corrections.Where(c => c.ArticleId == article.Id).Select(c => c.Text).ToListAsync()));
            Assert.Equal(article.Version + 1, (await ReloadAsync(article.Id)).Version);
        }
    }

    [Fact]
    public async Task A_front_page_curation_failing_half_way_keeps_the_previous_choice()
    {
        var first = await ArticleAsync(ArticleStatus.Published, "Le premier choix de la une");
        var second = await ArticleAsync(ArticleStatus.Published, "Le second choix de la une");
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            using (var curated = await editor.PostFormAsync("/newsroom/une", ("lead", first.Id.ToString()), ("featured", second.Id.ToString())))
            {
                Assert.Equal(HttpStatusCode.Redirect, curated.StatusCode);
            }

            // The new slots fail to be written, after the old ones were removed.
            site.Faults.FailSave(db => db.ChangeTracker.Entries<HomeSlot>().Any(e => e.State == EntityState.Added));
            using (var failed = await editor.PostFormAsync("/newsroom/une", ("lead", second.Id.ToString())))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            }

            var slots = await site.WithDbAsync(db => db.HomeSlots.AsNoTracking().OrderBy(s => s.Position).Select(s => s.ArticleId).ToListAsync());
            Assert.Equal([first.Id, second.Id], slots);
        }
    }

    public void Dispose()
    {
        site.Faults.Clear();
        GC.SuppressFinalize(this);
    }
}

public sealed class NewsroomFaultSqliteTests(NewsroomFaultSqliteTests.Site site) : NewsroomFaultTests(site), IClassFixture<NewsroomFaultSqliteTests.Site>
{
    public sealed class Site() : FaultSite(DatabaseKind.Sqlite);
}

public sealed class NewsroomFaultPostgresTests(NewsroomFaultPostgresTests.Site site) : NewsroomFaultTests(site), IClassFixture<NewsroomFaultPostgresTests.Site>
{
    public sealed class Site() : FaultSite(DatabaseKind.Postgres);
}
