using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Api;

/// <summary>
/// The OpenAPI document describes exactly the /api/v1 endpoints the app maps, and what they answer
/// matches its schemas; the interactive reference loads nothing from another host.
/// </summary>
public abstract class ApiDescriptionTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task The_OpenAPI_document_is_3_1_and_describes_every_mapped_api_v1_endpoint_and_no_other()
    {
        using var reader = site.Reader();
        var (response, document) = await ContentApiTests.GetJsonAsync(reader, "/openapi/v1.json");
        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.StartsWith("3.1.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("Kiosque content API", document.GetProperty("info").GetProperty("title").GetString());

        var mapped = site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToList();
        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Contains("GET /api/v1/changes", mapped);
        Assert.Equal(mapped, described);

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var responses = path.Value.GetProperty("get").GetProperty("responses");
            Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _), path.Name);
            foreach (var error in responses.EnumerateObject().Where(r => r.Name != "200"))
            {
                Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path.Name} {error.Name}");
            }
        }
    }

    [Fact]
    public async Task What_the_endpoints_answer_matches_the_documents_schemas()
    {
        var section = _content.Section();
        var (tag, author) = (_content.Tag(), _content.Author("Schéma Exact"));
        var article = _content.Article(section, "Conforme au document", authors: [author], tags: [tag]);
        article.Corrections.Add(new Kiosque.Content.Correction { At = TestContent.Now, Text = "Précision." });
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        await Search.SearchWaits.WaitForSearchIndexAsync(site);
        using var reader = site.Reader();
        var (_, document) = await ContentApiTests.GetJsonAsync(reader, "/openapi/v1.json");

        var urls = new[]
        {
            "/api/v1/articles?include=authors,tags,pictures", $"/api/v1/articles/{article.Slug}", "/api/v1/sections", "/api/v1/tags",
            "/api/v1/authors", "/api/v1/search?q=conforme", "/api/v1/changes?limit=20",
        };
        foreach (var url in urls)
        {
            var path = document.GetProperty("paths").EnumerateObject().Single(p => Matches(p.Name, url.Split('?')[0])).Value;
            var schema = path.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            var (_, answer) = await ContentApiTests.GetJsonAsync(reader, url);
            var problems = Validate(document, schema, answer);
            Assert.True(problems.Count == 0, $"{url} does not match its schema:\n" + string.Join('\n', problems));
        }

        // And the check can fail: an answer missing its data is refused.
        var envelope = document.GetProperty("paths").GetProperty("/api/v1/sections").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.NotEmpty(Validate(document, envelope, JsonDocument.Parse("""{"data":[{"id":"one"}],"meta":{},"links":{}}""").RootElement));
    }

    [Fact]
    public async Task The_reference_at_api_docs_is_HTML_whose_scripts_all_come_from_the_app()
    {
        using var reader = site.Reader();
        using var redirect = await reader.GetAsync("/api/docs");
        Assert.True(redirect.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently, redirect.StatusCode.ToString());
        using var response = await reader.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await Html.ParseAsync(response);
        var sources = page.QuerySelectorAll("script[src], link[href], img[src]").Select(e => e.GetAttribute("src") ?? e.GetAttribute("href")!).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var resolved = new Uri(new Uri("https://journal.test/api/docs/"), source);
            Assert.True(resolved.Host == "journal.test", $"{source} is fetched from another host");
            using var asset = await reader.GetAsync(resolved);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
        var inline = string.Concat(page.QuerySelectorAll("script:not([src])").Select(s => s.TextContent));
        Assert.DoesNotContain("https://", inline, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", inline, StringComparison.Ordinal);
    }

    /// <summary>"/api/v1/articles/{slug}" matches "/api/v1/articles/x".</summary>
    private static bool Matches(string template, string path)
    {
        var (a, b) = (template.Split('/'), path.Split('/'));
        return a.Length == b.Length && a.Zip(b).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }

    /// <summary>
    /// OpenAPI 3.1 schemas are JSON Schema 2020-12: the document's components become the schema's
    /// $defs, so its references resolve, and the answer is evaluated against the response's schema.
    /// </summary>
    private static List<string> Validate(JsonElement document, JsonElement schema, JsonElement answer)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText()),
        };
        foreach (var (key, value) in JsonNode.Parse(schema.GetRawText())!.AsObject())
        {
            root[key] = value?.DeepClone();
        }
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text).Evaluate(answer, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }
        return new[] { results }.Concat(results.Details ?? [])
            .SelectMany(r => (r.Errors ?? new Dictionary<string, string>()).Select(e => $"{r.InstanceLocation}: {e.Key}: {e.Value}"))
            .Distinct().ToList();
    }
}

public sealed class ApiDescriptionSqliteTests(SqliteSite site) : ApiDescriptionTests(site), IClassFixture<SqliteSite>;

public sealed class ApiDescriptionPostgresTests(PostgresSite site) : ApiDescriptionTests(site), IClassFixture<PostgresSite>;
