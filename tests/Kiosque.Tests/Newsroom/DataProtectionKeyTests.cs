using System.Net;
using System.Security.Cryptography;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>
/// <c>Kiosque:DataProtectionKey</c>: the keys that sign cookies and links are stored encrypted,
/// and a restart with the same key still reads them. Each test starts its own sites.
/// </summary>
public abstract class DataProtectionKeyTests(DatabaseKind kind)
{
    [Fact]
    public async Task With_a_configured_key_the_stored_keys_are_encrypted_and_survive_a_restart()
    {
        var settings = new Dictionary<string, string?> { [ConfiguredKeyXmlEncryptor.Setting] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var first = new KiosqueFactory(kind, settings) { KeepData = true };
        first.SkipIfUnavailable();
        string cookie;
        await using (first)
        {
            var user = await first.CreateUserAsync(Roles.Editor);
            using var browser = first.Browser();
            using var signedIn = await browser.SignInAsync(user.Email!, NewsroomSession.Password);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            cookie = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("kiosque.newsroom=", StringComparison.Ordinal));

            var stored = await first.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(stored);
            // The secret that signs cookies is not there in clear, only its encrypted form.
            Assert.All(stored, xml => Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal));
            Assert.All(stored, xml => Assert.Contains("<encryptedKey", xml, StringComparison.Ordinal));
        }

        // A restart (or another node) with the same key reads the keys and accepts the session.
        await using var second = new KiosqueFactory(first);
        using var client = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://journal.test") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/newsroom/articles");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class DataProtectionKeySqliteTests() : DataProtectionKeyTests(DatabaseKind.Sqlite);

public sealed class DataProtectionKeyPostgresTests() : DataProtectionKeyTests(DatabaseKind.Postgres);
