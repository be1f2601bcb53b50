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
    public async Task A_copied_session_cookie_stops_working_once_its_owner_signs_out()
    {
        var user = await site.CreateUserAsync(Roles.Editor);
        using var client = site.Browser();
        string cookie;
        using (var signedIn = await client.SignInAsync(user.Email!, NewsroomSession.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            cookie = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("kiosque.newsroom=", StringComparison.Ordinal));
        }
        // Someone who copied the cookie (a shared computer, a proxy log) replays it by hand.
        using var thief = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://journal.test") });
        async Task<HttpStatusCode> ReplayAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/newsroom/articles");
            request.Headers.Add("Cookie", cookie);
            using var response = await thief.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync());

        using (var signOut = await client.PostFormAsync("/newsroom/deconnexion"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync());
    }

    [Fact]
    public async Task Cookies_are_secure_behind_a_proxy_that_terminates_tls()
    {
        var user = await site.CreateUserAsync(Roles.Contributor);
        // What the application sees behind nginx on the same machine: plain http from 127.0.0.1,
        // with the reader's scheme in X-Forwarded-Proto.
        using var client = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://journal.test") });
        HttpRequestMessage FromProxy(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add(RemoteAddressFilter.Header, "127.0.0.1");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
            return request;
        }
        using var form = await client.SendAsync(FromProxy(HttpMethod.Get, "/newsroom/connexion"));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var token = (await Html.ParseAsync(form)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var csrf = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kiosque.csrf=", StringComparison.Ordinal));
        Assert.Contains("secure", csrf, StringComparison.OrdinalIgnoreCase);
        using var request = FromProxy(HttpMethod.Post, "/newsroom/connexion");
        request.Content = NewsroomSession.Form(token, ("email", user.Email!), ("password", NewsroomSession.Password), ("returnUrl", "/newsroom"));
        request.Headers.Add("Cookie", csrf.Split(';')[0]);
        using var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kiosque.newsroom=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_return_address_with_a_line_break_is_refused_not_a_server_error()
    {
        var user = await site.CreateUserAsync(Roles.Contributor);
        using var client = site.Browser();
        var token = await client.TokenAsync("/newsroom/connexion");
        using var response = await client.PostAsync("/newsroom/connexion", NewsroomSession.Form(token, ("email", user.Email!), ("password", NewsroomSession.Password), ("returnUrl", "/newsroom\r\nSet-Cookie: x=1")));
        // Signed in, sent to the newsroom's home rather than to an address no header can carry.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/newsroom", response.Headers.Location!.OriginalString);
        using var page = await client.GetAsync("/newsroom/connexion?returnUrl=%2Fnewsroom%0D%0Ax");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_that_address_only_and_say_nothing_about_it()
    {
        var user = await site.CreateUserAsync(Roles.Editor);
        const string incorrect = "Adresse e-mail ou mot de passe incorrect.";
        async Task<(HttpStatusCode Status, string Message)> TryAsync(string email, string password, string from, string? forwardedFor = null)
        {
            using var client = site.Browser();
            client.DefaultRequestHeaders.Add(RemoteAddressFilter.Header, from);
            if (forwardedFor is not null)
            {
                client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            }
            using var response = await client.SignInAsync(email, password);
            var error = response.StatusCode == HttpStatusCode.Redirect ? "" : (await Html.ParseAsync(response)).QuerySelector(".nr-error").Text();
            return (response.StatusCode, error);
        }
        const string attacker = "198.51.100.23";
        for (var i = 0; i < 5; i++)
        {
            var wrong = await TryAsync(user.Email!, "ce n'est pas le bon mot de passe", attacker);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
            Assert.Contains(incorrect, wrong.Message, StringComparison.Ordinal);
        }
        // Locked for that address, even against the right password; and the page says exactly
        // what it says for an address that has no account, so it tells no one who has one.
        var locked = await TryAsync(user.Email!, NewsroomSession.Password, attacker);
        var unknown = await TryAsync($"personne-{Guid.NewGuid():N}@redaction.test", NewsroomSession.Password, "198.51.100.24");
        Assert.Equal(HttpStatusCode.BadRequest, locked.Status);
        Assert.Equal(unknown, locked);
        // A forwarded header from a machine that is not a configured proxy changes nothing…
        Assert.Equal(HttpStatusCode.BadRequest, (await TryAsync(user.Email!, NewsroomSession.Password, attacker, forwardedFor: "192.0.2.80")).Status);
        // …and more tries add no audit lines: one per lockout.
        Assert.Equal(1, await site.WithDbAsync(db => db.AuditLog.CountAsync(e => e.Action == "account.locked" && e.Target == user.Email)));

        // The owner, elsewhere (here through the local proxy), is not kept out.
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(user.Email!, NewsroomSession.Password, "127.0.0.1", forwardedFor: "192.0.2.81")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(user.Email!, NewsroomSession.Password, "203.0.113.50")).Status);
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

        // Each code works once: the sign-in uses the next one the app shows.
        var token = await browser.TokenAsync("/newsroom/connexion/code");
        using var code = await browser.PostAsync("/newsroom/connexion/code", NewsroomSession.Form(token, ("code", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30))), ("returnUrl", "/newsroom")));
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
        using var disabled = await browser.PostFormAsync("/newsroom/compte/2fa/desactiver", ("code", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(60))));
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.False(await site.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).FirstAsync()));
    }

    [Fact]
    public async Task A_two_factor_code_opens_one_session_only()
    {
        var (client, user) = await site.SignedInAsync(Roles.Editor);
        string key;
        using (client)
        {
            key = (await client.GetDocumentAsync("/newsroom/compte")).QuerySelector("#authenticator-key").Text().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            using var enabled = await client.PostFormAsync("/newsroom/compte/2fa", ("code", Totp.Code(key)));
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
            // The code that just turned two-step on cannot sign in afterwards either.
            Assert.Equal(HttpStatusCode.BadRequest, await CodeSignInAsync(user, Totp.Code(key)));
        }
        var next = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, await CodeSignInAsync(user, next));
        // Someone who saw that code, with the password, is refused.
        Assert.Equal(HttpStatusCode.BadRequest, await CodeSignInAsync(user, next));
    }

    private async Task<HttpStatusCode> CodeSignInAsync(StaffUser user, string code)
    {
        using var browser = site.Browser();
        using var password = await browser.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.StartsWith("/newsroom/connexion/code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var token = await browser.TokenAsync("/newsroom/connexion/code");
        using var response = await browser.PostAsync("/newsroom/connexion/code", NewsroomSession.Form(token, ("code", code), ("returnUrl", "/newsroom")));
        return response.StatusCode;
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
