using System.Text.Json;
using Json.Schema;

namespace Kiosque.Tests.Feeds;

/// <summary>
/// JSON Feed 1.1 checked the way a validator would: against a JSON Schema written from the
/// specification (<c>jsonfeed-1.1.schema.json</c>), with formats (URLs, RFC 3339 dates) enforced.
/// </summary>
public static class JsonFeedSchema
{
    private static readonly JsonSchema Schema = Load();

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static JsonSchema Load()
    {
        using var stream = typeof(JsonFeedSchema).Assembly.GetManifestResourceStream("jsonfeed-1.1.schema.json")
            ?? throw new InvalidOperationException("The JSON Feed schema is not embedded in the test assembly.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }

    /// <summary>Every way <paramref name="feed"/> breaks the specification, as "location: message".</summary>
    public static List<string> Problems(JsonElement feed)
    {
        var results = Schema.Evaluate(feed, Options);
        if (results.IsValid)
        {
            return [];
        }
        return new[] { results }.Concat(results.Details ?? [])
            .SelectMany(r => (r.Errors ?? new Dictionary<string, string>()).Select(e => $"{r.InstanceLocation}: {e.Key}: {e.Value}"))
            .Distinct().ToList();
    }

    /// <summary>Parses a served feed and fails the test with the list of problems when it is not valid JSON Feed 1.1.</summary>
    public static JsonElement Read(byte[] body)
    {
        var feed = JsonDocument.Parse(body).RootElement;
        var problems = Problems(feed);
        Assert.True(problems.Count == 0, "Not valid JSON Feed 1.1:\n" + string.Join('\n', problems));
        return feed;
    }
}
