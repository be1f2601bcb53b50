using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kiosque.Tests.Feeds;

/// <summary>The schema the feed tests rely on refuses what the specification refuses (no storage: runs once).</summary>
public sealed class JsonFeedSchemaTests
{
    private const string Valid = """
        {
          "version": "https://jsonfeed.org/version/1.1",
          "title": "Le Courrier du Delta",
          "home_page_url": "https://journal.test/",
          "feed_url": "https://journal.test/feed.json",
          "authors": [{ "name": "Le Courrier du Delta" }],
          "hubs": [{ "type": "WebSub", "url": "https://hub.test/" }],
          "_kiosque": { "any": "extension" },
          "items": [{
            "id": "tag:journal.test,2026-11-24:article:1",
            "url": "https://journal.test/article/un",
            "content_html": "<p>Texte.</p>",
            "date_published": "2026-11-24T08:00:00+01:00",
            "authors": [{ "name": "Inès Vidal", "url": "https://journal.test/auteur/ines-vidal" }],
            "tags": ["Monde"]
          }]
        }
        """;

    [Fact]
    public void A_complete_feed_passes()
    {
        Assert.Empty(JsonFeedSchema.Problems(JsonDocument.Parse(Valid).RootElement));
    }

    [Theory]
    [InlineData("remove", "$.version")]
    [InlineData("remove", "$.title")]
    [InlineData("remove", "$.items")]
    [InlineData("remove", "$.items[0].id")]
    [InlineData("remove", "$.items[0].content_html")]
    [InlineData("set", "$.version", "https://jsonfeed.org/version/1")]
    [InlineData("set", "$.items[0].date_published", "24 novembre 2026")]
    [InlineData("set", "$.items[0].url", "/article/un")]
    [InlineData("set", "$.hubs[0].type", null)]
    [InlineData("rename", "$.items[0].date_published", "date_publised")]
    [InlineData("empty", "$.authors[0]")]
    public void A_feed_missing_a_required_element_or_with_a_malformed_one_fails(string change, string path, string? value = null)
    {
        var feed = JsonNode.Parse(Valid)!.AsObject();
        var parts = path[2..].Replace("[0]", ".0", StringComparison.Ordinal).Split('.');
        JsonNode parent = feed;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var index) ? parent[index]! : parent[part]!;
        }
        var last = parts[^1];
        var node = int.TryParse(last, out var i) ? parent[i]! : parent[last];
        switch (change)
        {
            case "remove":
                parent.AsObject().Remove(last);
                break;
            case "set":
                parent[last] = value is null ? null : JsonValue.Create(value);
                break;
            case "rename":
                parent.AsObject().Remove(last);
                parent[value!] = node!.DeepClone();
                break;
            default:
                node!.AsObject().Clear();
                break;
        }

        Assert.NotEmpty(JsonFeedSchema.Problems(JsonDocument.Parse(feed.ToJsonString()).RootElement));
    }
}
