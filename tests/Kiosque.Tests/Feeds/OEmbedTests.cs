using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Feeds;

public abstract class OEmbedTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Article_pages_announce_an_oembed_answer_that_embeds_without_script()
    {
        using var client = site.Reader();
        var author = _content.Author("Aude Rinaldi");
        var article = _content.Article(_content.Section(), "Un article à embarquer", authors: [author]);
        article.HeroMedia = new MediaAsset { FileName = "test/embed.jpg", Width = 1600, Height = 900, Credit = "X", CreatedAt = TestContent.Now };
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");
        var discovery = page.QuerySelector("link[rel=alternate][type='application/json+oembed']")!.GetAttribute("href")!;
        Assert.StartsWith("https://journal.test/oembed?url=", discovery, StringComparison.Ordinal);

        using var response = await client.GetAsync(discovery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1.0", json.GetProperty("version").GetString());
        Assert.Equal("rich", json.GetProperty("type").GetString());
        Assert.Equal(article.Headline, json.GetProperty("title").GetString());
        Assert.Equal("Aude Rinaldi", json.GetProperty("author_name").GetString());
        Assert.Equal($"https://journal.test/auteur/{author.Slug}", json.GetProperty("author_url").GetString());
        Assert.Equal("Le Courrier du Delta", json.GetProperty("provider_name").GetString());
        Assert.Equal("https://journal.test/media/test/embed.jpg", json.GetProperty("thumbnail_url").GetString());
        Assert.Equal(550, json.GetProperty("width").GetInt32());

        var embed = new HtmlParser().ParseDocument(json.GetProperty("html").GetString()!);
        Assert.Equal($"https://journal.test/article/{article.Slug}", embed.QuerySelector("blockquote a")!.GetAttribute("href"));
        Assert.Contains(article.Standfirst, embed.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(embed.QuerySelectorAll("script, iframe, img"));

        using var narrow = await client.GetAsync(discovery + "&maxwidth=320");
        Assert.Equal(320, JsonDocument.Parse(await narrow.Content.ReadAsStringAsync()).RootElement.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Oembed_refuses_drafts_other_sites_bad_input_and_other_formats_clearly()
    {
        using var client = site.Reader();
        var draft = _content.Article(_content.Section(), "Brouillon à ne pas embarquer", status: ArticleStatus.Draft);
        var article = _content.Article(_content.Section(), "Publié");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, draft, article));

        var cases = new (string Query, HttpStatusCode Status)[]
        {
            ($"url=https://journal.test/article/{draft.Slug}", HttpStatusCode.NotFound),
            ($"url=https://ailleurs.test/article/{article.Slug}", HttpStatusCode.NotFound),
            ("url=https://journal.test/rubrique/x", HttpStatusCode.NotFound),
            ("url=javascript:alert(1)", HttpStatusCode.NotFound),
            ("", HttpStatusCode.BadRequest),
            ("url=pas%20une%20adresse", HttpStatusCode.BadRequest),
            ($"url=https://journal.test/article/{article.Slug}&format=xml", HttpStatusCode.NotImplemented),
        };
        foreach (var (query, status) in cases)
        {
            using var response = await client.GetAsync("/oembed?" + query);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
            Assert.DoesNotContain(draft.Headline, problem.ToString(), StringComparison.Ordinal);
        }
    }
}

public sealed class OEmbedSqliteTests(SqliteSite site) : OEmbedTests(site), IClassFixture<SqliteSite>;

public sealed class OEmbedPostgresTests(PostgresSite site) : OEmbedTests(site), IClassFixture<PostgresSite>;
