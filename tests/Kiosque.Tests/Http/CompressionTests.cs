using System.IO.Compression;
using System.Net;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Http;

/// <summary>
/// What leaves the server compressed: static files from the build's Brotli and gzip copies,
/// negotiated by Accept-Encoding; search and 404 pages compressed as they are sent; and the bytes
/// a client decodes are exactly the uncompressed ones.
/// </summary>
public abstract class CompressionTests(KiosqueFactory site)
{
    [Fact]
    public async Task Static_files_are_served_precompressed_by_negotiation_and_decode_to_the_files_bytes()
    {
        using var client = site.Reader();
        var home = await client.GetDocumentAsync("/");
        var stylesheet = home.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var files = new (string Url, string File)[]
        {
            (stylesheet, "css/site.css"),
            ("/css/site.css", "css/site.css"),
            (NewsroomAssets.EditorScriptUrl, "newsroom/editor.js"),
            (NewsroomAssets.StylesheetUrl, "css/newsroom.css"),
            ("/favicon.svg", "favicon.svg"),
        };

        foreach (var (url, file) in files)
        {
            var onDisk = await File.ReadAllBytesAsync(Path.Combine(RepositoryFiles.Root, "src", "Kiosque", "wwwroot", file), TestContext.Current.CancellationToken);
            var (identity, identityResponse) = await GetAsync(client, url, "");
            Assert.Equal(onDisk, identity);
            Assert.Empty(identityResponse.Content.Headers.ContentEncoding);

            foreach (var (accept, coding) in new[] { ("br, gzip", "br"), ("br", "br"), ("gzip, deflate", "gzip"), ("gzip;q=1, br;q=0.5", "gzip") })
            {
                var (body, response) = await GetAsync(client, url, accept);
                Assert.Equal([coding], response.Content.Headers.ContentEncoding);
                Assert.Contains("Accept-Encoding", response.Headers.Vary);
                Assert.Equal(body.Length, response.Content.Headers.ContentLength);
                Assert.True(body.Length < identity.Length, $"{url} as {coding}: {body.Length} bytes, {identity.Length} uncompressed");
                Assert.Equal(identity, Decode(coding, body));
            }
        }
    }

    [Fact]
    public async Task Fingerprinted_files_are_cached_for_a_year_and_the_editor_bundle_is_a_fifth_of_its_size_in_brotli()
    {
        using var client = site.Reader();
        Assert.Matches(@"^/newsroom/editor\.[0-9a-z]+\.js$", NewsroomAssets.EditorScriptUrl);

        var (identity, plain) = await GetAsync(client, NewsroomAssets.EditorScriptUrl, "");
        var (brotli, compressed) = await GetAsync(client, NewsroomAssets.EditorScriptUrl, "br");

        foreach (var response in new[] { plain, compressed })
        {
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            Assert.NotNull(response.Headers.ETag);
        }
        Assert.True(brotli.Length * 4 < identity.Length, $"editor.js: {brotli.Length} bytes in Brotli, {identity.Length} uncompressed");
    }

    [Theory]
    [InlineData("/recherche?q=port")]
    [InlineData("/recherche")]
    [InlineData("/cette-page-n-existe-pas")]
    public async Task Search_and_not_found_pages_are_compressed_and_decode_to_the_uncompressed_page(string path)
    {
        using var client = site.Reader();
        var (identity, plain) = await GetAsync(client, path, "");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("</html>", System.Text.Encoding.UTF8.GetString(identity), StringComparison.Ordinal);

        foreach (var coding in new[] { "br", "gzip" })
        {
            var (body, response) = await GetAsync(client, path, coding);
            Assert.Equal(plain.StatusCode, response.StatusCode);
            Assert.Equal([coding], response.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.True(body.Length * 2 < identity.Length, $"{path} as {coding}: {body.Length} bytes, {identity.Length} uncompressed");
            Assert.Equal(identity, Decode(coding, body));
        }
    }

    [Fact]
    public async Task Search_results_may_be_kept_as_long_as_a_page_and_errors_are_not()
    {
        using var client = site.Reader();
        using var home = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var (_, results) = await GetAsync(client, "/recherche?q=port", "br");
        var (_, api) = await GetAsync(client, "/api/recherche?q=port", "br");
        var (_, tooLong) = await GetAsync(client, "/recherche?q=" + new string('a', 2000), "br");

        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        Assert.Equal(home.Headers.CacheControl!.ToString(), results.Headers.CacheControl!.ToString());
        Assert.True(results.Headers.CacheControl.Public);
        Assert.True(results.Headers.CacheControl.MaxAge > TimeSpan.Zero);
        Assert.Equal(home.Headers.CacheControl.ToString(), api.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True(tooLong.Headers.CacheControl!.NoCache);
    }

    [Fact]
    public async Task Newsroom_pages_are_not_compressed_on_the_fly_because_they_carry_tokens()
    {
        using var client = site.Reader();
        var (_, signIn) = await GetAsync(client, "/newsroom/connexion", "br, gzip");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Empty(signIn.Content.Headers.ContentEncoding);
    }

    private static async Task<(byte[] Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), response);
    }

    private static byte[] Decode(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

}

public sealed class CompressionSqliteTests(SqliteSite site) : CompressionTests(site), IClassFixture<SqliteSite>;

public sealed class CompressionPostgresTests(PostgresSite site) : CompressionTests(site), IClassFixture<PostgresSite>;
