using System.Net;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>
/// Administrators managing accounts: deactivation and reactivation, password resets. On a fake
/// clock, to move past the five minutes after which open sessions check their account again.
/// </summary>
public abstract class TeamTests(ClockSite site)
{
    private static readonly TimeSpan SessionCheck = TimeSpan.FromMinutes(6);

    private Task<StaffUser> AccountAsync(string id) => site.WithDbAsync(db => db.Users.AsNoTracking().FirstAsync(u => u.Id == id));

    private Task<bool> AuditedAsync(string action, string email) =>
        site.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.Action == action && e.Target == email));

    private async Task<HttpStatusCode> SignInStatusAsync(string email, string password)
    {
        using var browser = site.Browser();
        using var response = await browser.SignInAsync(email, password);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_deactivated_account_loses_its_sessions_and_cannot_sign_in_until_reactivated()
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        var (journalist, user) = await site.SignedInAsync(Roles.Contributor, "Journaliste Partie");
        using (admin)
        using (journalist)
        {
            var stamp = (await AccountAsync(user.Id)).SecurityStamp;
            using (var deactivated = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "deactivate")))
            {
                Assert.Equal(HttpStatusCode.Redirect, deactivated.StatusCode);
                Assert.Equal("/newsroom/equipe?ok=user-deactivated", deactivated.Headers.Location!.OriginalString);
            }
            var account = await AccountAsync(user.Id);
            Assert.True(Accounts.IsDeactivated(account));
            Assert.NotEqual(stamp, account.SecurityStamp);
            Assert.True(await AuditedAsync("user.deactivated", user.Email!));

            var team = await admin.GetDocumentAsync("/newsroom/equipe");
            var row = team.QuerySelectorAll("tbody tr").First(r => r.Text().Contains(user.Email!, StringComparison.Ordinal));
            Assert.Contains("désactivé", row.Text(), StringComparison.Ordinal);
            Assert.NotNull(row.QuerySelector("input[name=action][value=reactivate]"));
            Assert.Null(row.QuerySelector("input[name=action][value=deactivate]"));

            // Its open session ends at its next request, not minutes later; signing in again is
            // refused, with the reason given only to whoever knows the password.
            using (var ended = await journalist.GetAsync("/newsroom"))
            {
                Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
                Assert.StartsWith("https://journal.test/newsroom/connexion", ended.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
            using (var browser = site.Browser())
            {
                using var right = await browser.SignInAsync(user.Email!, NewsroomSession.Password);
                Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
                Assert.Contains("Ce compte est désactivé", (await Html.ParseAsync(right)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
                using var wrong = await browser.SignInAsync(user.Email!, "pas le bon mot de passe du tout");
                Assert.Contains("Adresse e-mail ou mot de passe incorrect.", (await Html.ParseAsync(wrong)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            // Unlocking is for temporary lockouts; a deactivated account is reactivated knowingly.
            using (var unlock = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "unlock")))
            {
                Assert.Equal(HttpStatusCode.BadRequest, unlock.StatusCode);
            }
            Assert.True(Accounts.IsDeactivated(await AccountAsync(user.Id)));

            using (var reactivated = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "reactivate")))
            {
                Assert.Equal(HttpStatusCode.Redirect, reactivated.StatusCode);
            }
            Assert.True(await AuditedAsync("user.reactivated", user.Email!));
            Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(user.Email!, NewsroomSession.Password));
        }
    }

    [Fact]
    public async Task Opening_my_account_page_does_not_sign_me_out_elsewhere()
    {
        var (laptop, user) = await site.SignedInAsync(Roles.Contributor);
        using var phone = site.Browser();
        using (var signedIn = await phone.SignInAsync(user.Email!, NewsroomSession.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        using (laptop)
        {
            var stamp = (await AccountAsync(user.Id)).SecurityStamp;
            // The first visit makes the authenticator key to scan; the next shows the same one.
            var key = (await laptop.GetDocumentAsync("/newsroom/compte")).QuerySelector("#authenticator-key").Text();
            Assert.NotEmpty(key);
            Assert.Equal(key, (await laptop.GetDocumentAsync("/newsroom/compte")).QuerySelector("#authenticator-key").Text());
            Assert.Equal(stamp, (await AccountAsync(user.Id)).SecurityStamp);

            site.Clock.Advance(SessionCheck);
            Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/newsroom")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/newsroom")).StatusCode);
        }
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_however_busy_it_stays()
    {
        var (client, _) = await site.SignedInAsync(Roles.Editor);
        using (client)
        {
            // Active all day: every request renews the sliding cookie…
            foreach (var step in new[] { 5, 5 })
            {
                site.Clock.Advance(TimeSpan.FromHours(step));
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/newsroom/articles")).StatusCode);
            }
            // …yet past twelve hours after signing in, the password is asked again.
            site.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
            using var ended = await client.GetAsync("/newsroom/articles");
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith("https://journal.test/newsroom/connexion", ended.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Administrators_cannot_deactivate_themselves_nor_reset_their_own_password_here()
    {
        var (admin, self) = await site.SignedInAsync(Roles.Admin);
        using (admin)
        {
            // Two-step verification on, as the rule may require: the team page must not take it away.
            await site.WithDbAsync(db => db.Users.Where(u => u.Id == self.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, true)));
            foreach (var action in new[] { "deactivate", "reset-password", "reset-2fa" })
            {
                using var refused = await admin.PostFormAsync($"/newsroom/equipe/{self.Id}", ("action", action));
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("votre propre compte", (await Html.ParseAsync(refused)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            Assert.False(Accounts.IsDeactivated(await AccountAsync(self.Id)));
            Assert.True((await AccountAsync(self.Id)).TwoFactorEnabled);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/newsroom/equipe")).StatusCode);
            // Editors manage no accounts at all.
            var (editor, _) = await site.SignedInAsync(Roles.Editor);
            using (editor)
            {
                using var forbidden = await editor.PostFormAsync($"/newsroom/equipe/{self.Id}", ("action", "deactivate"));
                Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_password_reset_gives_a_one_time_link_for_a_day_and_the_old_password_stops_at_once()
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        var (journalist, user) = await site.SignedInAsync(Roles.Editor, "Journaliste Oublieuse");
        using (admin)
        using (journalist)
        {
            using var issued = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "reset-password"));
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            var page = await Html.ParseAsync(issued);
            Assert.Contains("Journaliste Oublieuse", page.QuerySelector("main p").Text(), StringComparison.Ordinal);
            var link = new Uri(page.QuerySelector("#reset-link")!.GetAttribute("value")!);
            Assert.Equal("https://journal.test/newsroom/connexion/nouveau-mot-de-passe", link.GetLeftPart(UriPartial.Path));
            Assert.True(await AuditedAsync("user.password-reset", user.Email!));

            // The old password is gone and open sessions end: a reset is also what to do when an account is compromised.
            Assert.Equal(HttpStatusCode.BadRequest, await SignInStatusAsync(user.Email!, NewsroomSession.Password));
            Assert.Equal(HttpStatusCode.Redirect, (await journalist.GetAsync("/newsroom")).StatusCode);

            using var person = site.Browser();
            var form = await person.GetDocumentAsync(link.PathAndQuery);
            var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            (string, string) Field(string name) => (name, form.QuerySelector($"input[name={name}]")!.GetAttribute("value")!);
            async Task<HttpResponseMessage> ChooseAsync(string password, string confirm) =>
                await person.PostAsync("/newsroom/connexion/nouveau-mot-de-passe", NewsroomSession.Form(token, Field("u"), Field("t"), ("new", password), ("confirm", confirm)));

            using (var mismatch = await ChooseAsync("une nouvelle phrase de passe", "une autre phrase de passe"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            }
            using (var weak = await ChooseAsync("court", "court"))
            {
                Assert.Contains("au moins 12 caractères", (await Html.ParseAsync(weak)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            using (var chosen = await ChooseAsync("une nouvelle phrase de passe", "une nouvelle phrase de passe"))
            {
                Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
                Assert.Equal("/newsroom/connexion?ok=password-reset", chosen.Headers.Location!.OriginalString);
            }
            Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(user.Email!, "une nouvelle phrase de passe"));
            Assert.True(await AuditedAsync("account.password-reset", user.Email!));

            // Spent: the link works once.
            Assert.Equal(HttpStatusCode.BadRequest, (await person.GetAsync(link.PathAndQuery)).StatusCode);
            using (var again = await ChooseAsync("encore une phrase de passe", "encore une phrase de passe"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            }

            // A link not used within a day expires.
            using var second = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "reset-password"));
            var late = new Uri((await Html.ParseAsync(second)).QuerySelector("#reset-link")!.GetAttribute("value")!);
            site.Clock.Advance(PasswordResetTokenProvider.LinkLifespan + TimeSpan.FromMinutes(1));
            using var expired = await person.GetAsync(late.PathAndQuery);
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
            Assert.Contains("n’est plus valable", (await Html.ParseAsync(expired)).QuerySelector("main").Text(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Deactivating_an_account_kills_its_pending_reset_link()
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        var user = await site.CreateUserAsync(Roles.Contributor);
        using (admin)
        {
            using var issued = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "reset-password"));
            var link = new Uri((await Html.ParseAsync(issued)).QuerySelector("#reset-link")!.GetAttribute("value")!);
            using (var deactivated = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "deactivate"))) { }

            using var person = site.Browser();
            Assert.Equal(HttpStatusCode.BadRequest, (await person.GetAsync(link.PathAndQuery)).StatusCode);
            using var refused = await admin.PostFormAsync($"/newsroom/equipe/{user.Id}", ("action", "reset-password"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }
}

public sealed class TeamSqliteTests(TeamSqliteTests.Site site) : TeamTests(site), IClassFixture<TeamSqliteTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Sqlite);
}

public sealed class TeamPostgresTests(TeamPostgresTests.Site site) : TeamTests(site), IClassFixture<TeamPostgresTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Postgres);
}
