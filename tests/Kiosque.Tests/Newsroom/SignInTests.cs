using System.Net;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Newsroom;

public abstract class SignInTests(KiosqueFactory site)
{
    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_sign_in_page_with_labelled_fields()
    {
        using var client = site.Browser();
        foreach (var path in new[] { "/newsroom", "/newsroom/articles", "/newsroom/compte" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("https://journal.test/newsroom/connexion?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        using (var response = await client.GetAsync("/newsroom/connexion"))
        {
            // Never cached by a proxy, never framed by another site, scripts from this site only.
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
        var page = await client.GetDocumentAsync("/newsroom/connexion");
        Assert.Equal("Adresse e-mail", page.QuerySelector("label[for=email]").Text());
        Assert.Equal("Mot de passe", page.QuerySelector("label[for=password]").Text());
        Assert.Equal("password", page.QuerySelector("#password")!.GetAttribute("type"));
    }

    [Fact]
    public async Task Newsroom_pages_with_forms_are_never_cached_and_log_no_warning()
    {
        static int AntiforgeryWarnings(KiosqueFactory site) =>
            site.Logs.Messages.Count(m => m.Category.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal));
        var before = AntiforgeryWarnings(site);
        var (client, _) = await site.SignedInAsync(Roles.Editor);
        using var anonymous = site.Browser();

        foreach (var (browser, path) in new[] { (anonymous, "/newsroom/connexion"), (client, "/newsroom"), (client, "/newsroom/articles"), (client, "/newsroom/compte") })
        {
            using var response = await browser.GetAsync(path);
            var page = await Html.ParseAsync(response);
            Assert.NotNull(page.QuerySelector("input[name=__RequestVerificationToken]"));
            Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: true }, $"{path}: Cache-Control {response.Headers.CacheControl}");
            Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        }

        // Antiforgery used to rewrite the newsroom's Cache-Control on every page with a form, and warn each time.
        Assert.Equal(before, AntiforgeryWarnings(site));
        client.Dispose();
    }

    [Fact]
    public async Task A_journalist_signs_in_sees_the_dashboard_and_signs_out()
    {
        var (client, user) = await site.SignedInAsync(Roles.Contributor, "Inès Morel");
        using (client)
        {
            var dashboard = await client.GetDocumentAsync("/newsroom");
            Assert.Equal("Tableau de bord", dashboard.QuerySelector("h1").Text());
            Assert.Contains("Inès Morel", dashboard.QuerySelector(".nr-user").Text(), StringComparison.Ordinal);
            // A contributor's menu has no administration.
            Assert.Null(dashboard.QuerySelector("a[href='/newsroom/equipe']"));

            using var signOut = await client.PostFormAsync("/newsroom/deconnexion");
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            using var after = await client.GetAsync("/newsroom");
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await site.CreateUserAsync(Roles.Editor);
        using var client = site.Browser();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await client.SignInAsync(user.Email!, "ce n'est pas le bon mot de passe");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("Adresse e-mail ou mot de passe incorrect.", (await Html.ParseAsync(wrong)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
        }
        using var fifth = await client.SignInAsync(user.Email!, "toujours pas le bon mot de passe");
        Assert.Contains("Compte verrouillé", (await Html.ParseAsync(fifth)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);

        using var right = await client.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("Compte verrouillé", (await Html.ParseAsync(right)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
        using var still = await client.GetAsync("/newsroom");
        Assert.Equal(HttpStatusCode.Redirect, still.StatusCode);
    }

    [Fact]
    public async Task A_form_without_a_valid_antiforgery_token_is_refused_and_changes_nothing()
    {
        var user = await site.CreateUserAsync(Roles.Contributor);
        using var client = site.Browser();

        // Sign-in itself needs the token.
        using var forged = await client.PostAsync("/newsroom/connexion", NewsroomSession.Form(null, ("email", user.Email!), ("password", NewsroomSession.Password)));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Formulaire expiré", (await Html.ParseAsync(forged)).QuerySelector("h1").Text(), StringComparison.Ordinal);

        using var signedIn = await client.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // A forged token, and no token at all, on a state-changing request of a signed-in user.
        using var bad = await client.PostAsync("/newsroom/compte/mot-de-passe", NewsroomSession.Form("forged", ("current", NewsroomSession.Password), ("new", "un tout nouveau mot de passe"), ("confirm", "un tout nouveau mot de passe")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var none = await client.PostAsync("/newsroom/articles", NewsroomSession.Form(null));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);

        // The password did not change.
        using var other = site.Browser();
        using var again = await other.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task Password_change_takes_the_new_password_and_drops_the_old()
    {
        var (client, user) = await site.SignedInAsync(Roles.Contributor);
        using (client)
        {
            using var mismatch = await client.PostFormAsync("/newsroom/compte/mot-de-passe", ("current", NewsroomSession.Password), ("new", "nouvelle phrase de passe"), ("confirm", "autre phrase de passe"));
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            using var tooShort = await client.PostFormAsync("/newsroom/compte/mot-de-passe", ("current", NewsroomSession.Password), ("new", "court"), ("confirm", "court"));
            Assert.Contains("au moins 12 caractères", (await Html.ParseAsync(tooShort)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);

            using var changed = await client.PostFormAsync("/newsroom/compte/mot-de-passe", ("current", NewsroomSession.Password), ("new", "nouvelle phrase de passe"), ("confirm", "nouvelle phrase de passe"));
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }
        using var fresh = site.Browser();
        using var old = await fresh.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        using var next = await fresh.SignInAsync(user.Email!, "nouvelle phrase de passe");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
    }

    [Fact]
    public async Task Two_factor_sign_in_asks_for_the_authenticator_code()
    {
        var (client, user) = await site.SignedInAsync(Roles.Editor);
        string key;
        using (client)
        {
            var account = await client.GetDocumentAsync("/newsroom/compte");
            key = account.QuerySelector("#authenticator-key").Text().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            using var wrong = await client.PostFormAsync("/newsroom/compte/2fa", ("code", "000000"));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            using var enabled = await client.PostFormAsync("/newsroom/compte/2fa", ("code", Totp.Code(key)));
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        using var browser = site.Browser();
        using var password = await browser.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/newsroom/connexion/code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var notYet = await browser.GetAsync("/newsroom");
        Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);

        var token = await browser.TokenAsync("/newsroom/connexion/code");
        using var code = await browser.PostAsync("/newsroom/connexion/code", NewsroomSession.Form(token, ("code", Totp.Code(key)), ("returnUrl", "/newsroom")));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("Tableau de bord", (await browser.GetDocumentAsync("/newsroom")).QuerySelector("h1").Text());

        // Turning it off takes a current code too: an open session alone is not enough.
        Assert.NotNull((await browser.GetDocumentAsync("/newsroom/compte")).QuerySelector("#disable-code"));
        foreach (var proof in new[] { "", "000000" })
        {
            using var refused = await browser.PostFormAsync("/newsroom/compte/2fa/desactiver", ("code", proof));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Code incorrect", (await Html.ParseAsync(refused)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
        }
        Assert.True(await site.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).FirstAsync()));
        using var disabled = await browser.PostFormAsync("/newsroom/compte/2fa/desactiver", ("code", Totp.Code(key)));
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.False(await site.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).FirstAsync()));
    }

    [Fact]
    public async Task When_an_admin_makes_two_factor_mandatory_accounts_without_it_only_reach_their_settings()
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        var content = new TestContent();
        var draft = content.Article(content.Section(), "Un brouillon à prévisualiser", status: ArticleStatus.Draft);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, draft));
        using (admin)
        using (contributor)
        {
            try
            {
                using var set = await admin.PostFormAsync("/newsroom/reglages", ("requireTwoFactor", "true"));
                Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);

                using var blocked = await contributor.GetAsync("/newsroom/articles");
                Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
                Assert.Equal("/newsroom/compte?ok=two-factor-required", blocked.Headers.Location!.OriginalString);

                // The preview (outside the staff routes, for signed links) applies the same rule to a session…
                using var preview = await contributor.GetAsync($"/newsroom/articles/{draft.Id}/apercu");
                Assert.Equal(HttpStatusCode.Redirect, preview.StatusCode);
                Assert.Equal("/newsroom/compte?ok=two-factor-required", preview.Headers.Location!.OriginalString);
                // …while a signed link, which is not a session, still opens it.
                var link = site.Services.GetRequiredService<PreviewLinks>().Create(draft.Id).Path;
                using var reader = site.Reader();
                Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(link)).StatusCode);
                var account = await contributor.GetDocumentAsync("/newsroom/compte?ok=two-factor-required");
                Assert.NotNull(account.QuerySelector("#authenticator-key"));
            }
            finally
            {
                // The administrator has no second factor either, so the rule now keeps them out too.
                using var adminBlocked = await admin.GetAsync("/newsroom/equipe");
                Assert.Equal(HttpStatusCode.Redirect, adminBlocked.StatusCode);
                await using var scope = site.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<Accounts>().SetTwoFactorRequiredAsync(false);
            }
        }
    }

    [Fact]
    public async Task The_one_time_sign_in_link_works_once()
    {
        var path = await site.WithDbAsync(async _ =>
        {
            await using var scope = site.Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<Accounts>();
            // As the demo seeding does (Demo/DemoSignInTests.cs follows it through restarts).
            await accounts.EnsureDemoAdminAsync();
            return (await accounts.DemoSignInPathAsync())!;
        });
        using var first = site.Browser();
        using var used = await first.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal("Mon compte", (await first.GetDocumentAsync("/newsroom/compte")).QuerySelector("h1").Text());

        using var second = site.Browser();
        using var again = await second.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        using var forged = await second.GetAsync(path[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}

public sealed class SignInSqliteTests(SqliteSite site) : SignInTests(site), IClassFixture<SqliteSite>;

public sealed class SignInPostgresTests(PostgresSite site) : SignInTests(site), IClassFixture<PostgresSite>;
