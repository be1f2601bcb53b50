using System.Net;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Search;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Api;

/// <summary>The public content API under /api/v1, as an app reads it: envelope, paging, filters, validators, CORS.</summary>
public abstract class ContentApiTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task A_list_is_paged_in_the_body_and_in_Link_headers_and_refuses_a_limit_over_100()
    {
        var section = _content.Section();
        var articles = Enumerable.Range(1, 3).Select(i => _content.Article(section, $"Article {i}", publishedAt: TestContent.Now.AddHours(-i))).ToArray();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. articles]));
        using var reader = site.Reader();

        var (first, json) = await GetJsonAsync(reader, $"/api/v1/articles?section={section.Slug}&limit=2&utm_source=x");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal([articles[0].Slug, articles[1].Slug], Slugs(json));
        var pagination = json.GetProperty("meta").GetProperty("pagination");
        Assert.Equal((1, 2, 2, 3), (pagination.GetProperty("page").GetInt32(), pagination.GetProperty("limit").GetInt32(), pagination.GetProperty("pages").GetInt32(), pagination.GetProperty("total").GetInt32()));
        var next = $"https://journal.test/api/v1/articles?section={section.Slug}&limit=2&page=2";
        Assert.Equal(next, json.GetProperty("links").GetProperty("next").GetString());
        var link = string.Join(",", first.Headers.GetValues("Link"));
        Assert.Contains($"<{next}>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains($"<{next}>; rel=\"last\"", link, StringComparison.Ordinal);
        Assert.DoesNotContain("prev", link, StringComparison.Ordinal);
        Assert.DoesNotContain("utm_source", link, StringComparison.Ordinal);

        var (second, json2) = await GetJsonAsync(reader, next);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([articles[2].Slug], Slugs(json2));
        Assert.Contains($"<https://journal.test/api/v1/articles?section={section.Slug}&limit=2>; rel=\"prev\"", string.Join(",", second.Headers.GetValues("Link")), StringComparison.Ordinal);

        await AssertProblemAsync(reader, $"/api/v1/articles?section={section.Slug}&limit=101", HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(reader, "/api/v1/articles?page=0", HttpStatusCode.BadRequest, "page");
        await AssertProblemAsync(reader, "/api/v1/articles?page=abc", HttpStatusCode.BadRequest, null);
        await AssertProblemAsync(reader, $"/api/v1/articles?section={section.Slug}&limit=2&page=3", HttpStatusCode.NotFound, "past the last");
        await AssertProblemAsync(reader, "/api/v1/articles?include=comments", HttpStatusCode.BadRequest, "include");
        await AssertProblemAsync(reader, "/api/v1/nothing-here", HttpStatusCode.NotFound, "no such endpoint");
    }

    [Fact]
    public async Task Articles_are_filtered_by_section_tag_author_and_since_and_include_embeds_authors_tags_and_pictures()
    {
        var section = _content.Section();
        var (tag, author) = (_content.Tag(), _content.Author("Inès Filtre"));
        var old = _content.Article(section, "Ancien", publishedAt: TestContent.Now.AddDays(-10));
        var tagged = _content.Article(section, "Avec thème et autrice", publishedAt: TestContent.Now.AddHours(-2), authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, old, tagged));
        using var reader = site.Reader();

        Assert.Equal([tagged.Slug], Slugs((await GetJsonAsync(reader, $"/api/v1/articles?tag={tag.Slug}")).Json));
        Assert.Equal([tagged.Slug], Slugs((await GetJsonAsync(reader, $"/api/v1/articles?author={author.Slug}")).Json));
        var since = Uri.EscapeDataString(TestContent.Now.AddDays(-1).ToString("O"));
        Assert.Equal([tagged.Slug], Slugs((await GetJsonAsync(reader, $"/api/v1/articles?section={section.Slug}&since={since}")).Json));
        Assert.Equal([tagged.Slug, old.Slug], Slugs((await GetJsonAsync(reader, $"/api/v1/articles?section={section.Slug}")).Json));
        await AssertProblemAsync(reader, "/api/v1/articles?section=nulle-part", HttpStatusCode.NotFound, "nulle-part");

        var (_, plain) = await GetJsonAsync(reader, $"/api/v1/articles?tag={tag.Slug}");
        var item = plain.GetProperty("data")[0];
        Assert.Equal(author.Slug, item.GetProperty("authors")[0].GetProperty("slug").GetString());
        Assert.False(item.GetProperty("authors")[0].TryGetProperty("name", out _), "without include, only ids and slugs");
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("included").ValueKind);

        var (_, embedded) = await GetJsonAsync(reader, $"/api/v1/articles?tag={tag.Slug}&include=authors,tags");
        var included = embedded.GetProperty("included");
        Assert.Equal("Inès Filtre", included.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Equal($"https://journal.test/auteur/{author.Slug}", included.GetProperty("authors")[0].GetProperty("url").GetString());
        Assert.Equal(tag.Name, included.GetProperty("tags")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, included.GetProperty("pictures").ValueKind);
    }

    [Fact]
    public async Task One_article_has_its_blocks_its_HTML_and_what_it_links_to_but_never_a_drafts_read_also()
    {
        var section = _content.Section();
        var (tag, author) = (_content.Tag(), _content.Author("Jonas Bloc"));
        var draft = _content.Article(section, "Brouillon secret cité", status: ArticleStatus.Draft);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, draft));
        var article = _content.Article(section, "Un article complet", authors: [author], tags: [tag],
            body: ArticleBody.Of(new ParagraphBlock("Premier <b>paragraphe</b>."), new HeadingBlock("Intertitre"), new ReadAlsoBlock(draft.Id)));
        article.Corrections.Add(new Correction { At = TestContent.Now.AddMinutes(-10), Text = "Un chiffre a été corrigé." });
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        using var reader = site.Reader();

        var (response, json) = await GetJsonAsync(reader, $"/api/v1/articles/{article.Slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Equal("Un article complet", data.GetProperty("headline").GetString());
        Assert.Equal($"https://journal.test/article/{article.Slug}", data.GetProperty("url").GetString());
        Assert.Contains("<p>Premier <b>paragraphe</b>.</p>", data.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("Intertitre</h2>", data.GetProperty("html").GetString(), StringComparison.Ordinal);
        var blocks = data.GetProperty("body").GetProperty("blocks");
        Assert.Equal(["paragraph", "heading"], blocks.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Jonas Bloc", data.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Equal(tag.Slug, data.GetProperty("tags")[0].GetProperty("slug").GetString());
        Assert.Equal(section.Slug, data.GetProperty("section").GetProperty("slug").GetString());
        Assert.Equal("Un chiffre a été corrigé.", data.GetProperty("corrections")[0].GetProperty("text").GetString());
        Assert.DoesNotContain("Brouillon secret", json.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Slug, json.GetRawText(), StringComparison.Ordinal);

        await AssertProblemAsync(reader, $"/api/v1/articles/{draft.Slug}", HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task Drafts_scheduled_and_unpublished_articles_appear_in_no_endpoint()
    {
        var section = _content.Section();
        var (tag, author) = (_content.Tag("Thème caché"), _content.Author("Auteur Caché"));
        var hidden = new[] { ArticleStatus.Draft, ArticleStatus.Review, ArticleStatus.Scheduled, ArticleStatus.Unpublished }
            .Select(s => _content.Article(section, $"Zorglub invisible {s}", status: s, authors: [author], tags: [tag])).ToArray();
        var visible = _content.Article(section, "Zorglub visible");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. hidden, visible]));
        await site.WaitForSearchIndexAsync();
        using var reader = site.Reader();

        Assert.Equal([visible.Slug], Slugs((await GetJsonAsync(reader, $"/api/v1/articles?section={section.Slug}&include=authors,tags,pictures")).Json));
        Assert.Empty(Slugs((await GetJsonAsync(reader, $"/api/v1/articles?tag={tag.Slug}")).Json));
        Assert.Empty(Slugs((await GetJsonAsync(reader, $"/api/v1/articles?author={author.Slug}")).Json));
        foreach (var article in hidden)
        {
            await AssertProblemAsync(reader, $"/api/v1/articles/{article.Slug}", HttpStatusCode.NotFound, null);
        }
        var (_, search) = await GetJsonAsync(reader, "/api/v1/search?q=zorglub&include=authors,tags&limit=100");
        Assert.Equal([visible.Slug], search.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("article").GetProperty("slug").GetString()));
        var everything = string.Concat(await Task.WhenAll(
            new[] { "/api/v1/tags?limit=100", "/api/v1/authors?limit=100", $"/api/v1/articles?section={section.Slug}&include=authors,tags", "/api/v1/search?q=zorglub&include=authors,tags" }
                .Select(async url => (await GetJsonAsync(reader, url)).Json.GetRawText())));
        Assert.DoesNotContain("invisible", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(tag.Slug, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(author.Slug, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_have_a_strong_ETag_a_304_when_it_matches_and_CORS_for_reads_without_credentials()
    {
        var section = _content.Section();
        var article = _content.Article(section, "Validé");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        using var reader = site.Reader();

        foreach (var url in new[] { $"/api/v1/articles?section={section.Slug}", $"/api/v1/articles/{article.Slug}", "/api/v1/sections", "/api/v1/changes?limit=5" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Origin", "https://app.example");
            using var response = await reader.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag.IsWeak, url);
            Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"), url);
            Assert.Contains("ETag", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);

            using var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(etag);
            using var notModified = await reader.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal("*", string.Join(",", notModified.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        // A compressed copy is a representation of its own, with a tag of its own that still revalidates.
        await site.WaitForSearchIndexAsync();
        foreach (var url in new[] { "/api/v1/search?q=valid%C3%A9", $"/api/v1/articles?section={section.Slug}" })
        {
            using var plain = await reader.GetAsync(url);
            using var brotli = new HttpRequestMessage(HttpMethod.Get, url);
            brotli.Headers.AcceptEncoding.ParseAdd("br");
            using var compressed = await reader.SendAsync(brotli);
            Assert.Equal("br", string.Join(",", compressed.Content.Headers.ContentEncoding));
            Assert.Equal(plain.Headers.ETag!.Tag.TrimEnd('"') + "-br\"", compressed.Headers.ETag?.Tag);
            using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
            revalidate.Headers.AcceptEncoding.ParseAdd("br");
            revalidate.Headers.IfNoneMatch.Add(compressed.Headers.ETag!);
            using var notModified = await reader.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using var cached = await reader.GetAsync($"/api/v1/articles?section={section.Slug}");
        Assert.True(cached.Headers.CacheControl?.Public, "lists are public and cacheable");

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/articles");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var allowed = await reader.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));

        using var post = await reader.PostAsync("/api/v1/articles", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cached_answer_is_evicted_by_a_publication_and_a_correction_like_a_page()
    {
        var section = _content.Section();
        var first = _content.Article(section, "Premier en cache");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, first));
        using var reader = site.Reader();
        var listUrl = $"/api/v1/articles?section={section.Slug}";
        Assert.Equal([first.Slug], Slugs((await GetJsonAsync(reader, listUrl)).Json));
        var (_, before) = await GetJsonAsync(reader, $"/api/v1/articles/{first.Slug}");
        Assert.Equal("Premier en cache", before.GetProperty("data").GetProperty("headline").GetString());

        var second = _content.Article(section, "Second publié", publishedAt: TestContent.Now);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, second));
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == first.Id);
            stored.Headline = "Premier corrigé";
            await db.SaveChangesAsync();
        });

        Assert.Equal([second.Slug, first.Slug], Slugs((await GetJsonAsync(reader, listUrl)).Json));
        var (_, after) = await GetJsonAsync(reader, $"/api/v1/articles/{first.Slug}");
        Assert.Equal("Premier corrigé", after.GetProperty("data").GetProperty("headline").GetString());
    }

    internal static async Task<(HttpResponseMessage Response, JsonElement Json)> GetJsonAsync(HttpClient reader, string url)
    {
        var response = await reader.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static async Task AssertProblemAsync(HttpClient reader, string url, HttpStatusCode status, string? detail)
    {
        using var response = await reader.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (detail is not null)
        {
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static List<string?> Slugs(JsonElement json) => json.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("slug").GetString()).ToList();
}

public sealed class ContentApiSqliteTests(SqliteSite site) : ContentApiTests(site), IClassFixture<SqliteSite>;

public sealed class ContentApiPostgresTests(PostgresSite site) : ContentApiTests(site), IClassFixture<PostgresSite>;
