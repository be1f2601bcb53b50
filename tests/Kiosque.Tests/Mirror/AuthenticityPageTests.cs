using System.Net;
using Kiosque.Mirror;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Mirror;

/// <summary>The newsroom's public key, where readers and their tools look for it.</summary>
public abstract class AuthenticityPageTests(KiosqueFactory withKey, KiosqueFactory withoutKey)
{
    /// <summary>One key pair for the whole run: the withKey sites publish its public half.</summary>
    public static readonly MinisignSecretKey Key = MinisignSecretKey.Generate();

    public static readonly string PublicKeyFile = WritePublicKey();

    public static Dictionary<string, string?> SigningSettings => new() { ["Kiosque:Signing:PublicKeyFile"] = PublicKeyFile };

    [Fact]
    public async Task The_key_is_published_as_a_file_and_on_a_page_every_footer_links_to()
    {
        using var reader = withKey.Reader();

        using var file = await reader.GetAsync(AuthenticityPage.PublicKeyPath);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(Key.PublicKey.FileText, await file.Content.ReadAsStringAsync());
        Assert.Equal(Key.PublicKey.Id, MinisignPublicKey.Parse(await file.Content.ReadAsStringAsync()).Id);

        var page = await reader.GetDocumentAsync(AuthenticityPage.Path);
        Assert.Equal("Authenticité", page.QuerySelector("h1").Text());
        Assert.Contains(Key.PublicKey.Id, page.QuerySelector("main")!.TextContent);
        Assert.Contains($"minisign -Vm SHA256SUMS -P {Key.PublicKey.Base64}", page.QuerySelector("main")!.TextContent);

        var home = await reader.GetDocumentAsync("/");
        Assert.NotNull(home.QuerySelector($"footer a[href='{AuthenticityPage.Path}']"));
    }

    [Fact]
    public async Task Without_a_key_there_is_no_page_no_file_and_no_footer_link()
    {
        using var reader = withoutKey.Reader();

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(AuthenticityPage.PublicKeyPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(AuthenticityPage.Path)).StatusCode);
        var home = await reader.GetDocumentAsync("/");
        Assert.Null(home.QuerySelector($"footer a[href='{AuthenticityPage.Path}']"));
    }

    private static string WritePublicKey()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kiosque-key-").FullName, "minisign.pub");
        File.WriteAllText(path, Key.PublicKey.FileText);
        return path;
    }

    public sealed class SignedSqliteSite() : KiosqueFactory(DatabaseKind.Sqlite, SigningSettings);

    public sealed class SignedPostgresSite() : KiosqueFactory(DatabaseKind.Postgres, SigningSettings);
}

public sealed class AuthenticityPageSqliteTests(AuthenticityPageTests.SignedSqliteSite withKey, SqliteSite withoutKey)
    : AuthenticityPageTests(withKey, withoutKey), IClassFixture<AuthenticityPageTests.SignedSqliteSite>, IClassFixture<SqliteSite>;

public sealed class AuthenticityPagePostgresTests(AuthenticityPageTests.SignedPostgresSite withKey, PostgresSite withoutKey)
    : AuthenticityPageTests(withKey, withoutKey), IClassFixture<AuthenticityPageTests.SignedPostgresSite>, IClassFixture<PostgresSite>;
