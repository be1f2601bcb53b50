using System.Net;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Demo;

/// <summary>
/// <c>--demo</c> and its passwordless administrator: offered on the database the demo was seeded
/// into, until that administrator chooses a password; never on a database that had content.
/// Each test starts its own sites, since what matters is what a second start finds.
/// </summary>
public abstract class DemoSignInTests(DatabaseKind kind)
{
    private static Dictionary<string, string?> Demo() => new() { ["Kiosque:Demo"] = "true" };

    private static async Task<string?> DemoLinkAsync(KiosqueFactory site)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Accounts>().DemoSignInPathAsync();
    }

    private static Task<bool> DemoAdminExistsAsync(KiosqueFactory site) =>
        site.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == Accounts.DemoAdminEmail));

    [Fact]
    public async Task A_database_that_has_content_gets_no_demo_administrator_and_no_link()
    {
        var content = new TestContent();
        var section = content.Section();
        var article = content.Article(section, "Un article de la vraie rédaction");
        var first = new KiosqueFactory(kind) { KeepData = true };
        first.SkipIfUnavailable();
        await using (first)
        {
            await first.WithDbAsync(db => TestContent.SaveAsync(db, section, article));
        }

        // The operator starts their real newsroom with --demo by mistake.
        first.Settings["Kiosque:Demo"] = "true";
        await using var second = new KiosqueFactory(first);

        Assert.Null(await DemoLinkAsync(second));
        Assert.False(await DemoAdminExistsAsync(second));
        Assert.Equal([article.Slug], await second.WithDbAsync(db => db.Articles.Select(a => a.Slug).ToListAsync()));
    }

    [Fact]
    public async Task The_demo_administrator_is_offered_a_link_at_every_start_until_it_sets_a_password()
    {
        var first = new KiosqueFactory(kind, Demo()) { KeepData = true };
        first.SkipIfUnavailable();
        string accountPage;
        await using (first)
        {
            var path = await DemoLinkAsync(first);
            Assert.NotNull(path);
            using var browser = first.Browser();
            using var signedIn = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            accountPage = (await browser.GetDocumentAsync("/newsroom/compte")).QuerySelector("h1")!.TextContent;
        }
        Assert.Equal("Mon compte", accountPage);

        // The README's flow: a second start of the demo, no password chosen yet, prints a fresh link.
        var second = new KiosqueFactory(first) { KeepData = true };
        await using (second)
        {
            var path = await DemoLinkAsync(second);
            Assert.NotNull(path);
            using var browser = second.Browser();
            using (var signedIn = await browser.GetAsync(path))
            {
                Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            }
            using var chosen = await browser.PostFormAsync("/newsroom/compte/mot-de-passe",
                ("current", ""), ("new", NewsroomSession.Password), ("confirm", NewsroomSession.Password));
            Assert.Equal("/newsroom/compte?ok=password", chosen.Headers.Location!.OriginalString);

            Assert.Null(await DemoLinkAsync(second));
        }

        await using var third = new KiosqueFactory(first);
        Assert.Null(await DemoLinkAsync(third));
        Assert.True(await DemoAdminExistsAsync(third));
        using var client = third.Browser();
        using var withPassword = await client.SignInAsync(Accounts.DemoAdminEmail, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, withPassword.StatusCode);
    }
}

public sealed class DemoSignInSqliteTests() : DemoSignInTests(DatabaseKind.Sqlite);

public sealed class DemoSignInPostgresTests() : DemoSignInTests(DatabaseKind.Postgres);
