using System.Net;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kiosque.Tests.Newsroom;

/// <summary>
/// A site with no public https address (the README's demo on http://localhost) keeps a usable
/// newsroom: its cookies follow the request's scheme. A site whose public address is https marks
/// them Secure whatever the scheme (SignInTests: behind a TLS-terminating proxy).
/// </summary>
public abstract class PlainHttpNewsroomTests(KiosqueFactory site)
{
    [Fact]
    public async Task Without_a_public_https_address_the_newsroom_signs_in_over_plain_http()
    {
        site.SkipIfUnavailable();
        var user = await site.CreateUserAsync(Roles.Editor);
        using var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });
        using (var page = await client.GetAsync("/newsroom/connexion"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain(page.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        }
        using var signedIn = await client.SignInAsync(user.Email!, NewsroomSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/newsroom/articles")).StatusCode);
    }
}

public sealed class PlainHttpNewsroomSqliteTests(PlainHttpNewsroomSqliteTests.Site site) : PlainHttpNewsroomTests(site), IClassFixture<PlainHttpNewsroomSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:PublicUrl"] = "" });
}

public sealed class PlainHttpNewsroomPostgresTests(PlainHttpNewsroomPostgresTests.Site site) : PlainHttpNewsroomTests(site), IClassFixture<PlainHttpNewsroomPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Kiosque:PublicUrl"] = "" });
}
