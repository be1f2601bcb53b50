using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosque.Content;

/// <summary>
/// The stored form of an article body: <c>{"v":1,"blocks":[…]}</c>. The version lets later
/// schema changes upgrade old bodies on read instead of rewriting the whole archive.
/// </summary>
public sealed record ArticleBody(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("blocks")] IReadOnlyList<Block> Blocks)
{
    public const int CurrentVersion = 1;
    public const string Empty = """{"v":1,"blocks":[]}""";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static ArticleBody Parse(string json)
    {
        var body = JsonSerializer.Deserialize<ArticleBody>(json, Json)
            ?? throw new InvalidArticleBodyException("The body is empty.");
        if (body.Version is < 1 or > CurrentVersion)
        {
            throw new InvalidArticleBodyException($"Unknown body version {body.Version}.");
        }
        return body with { Blocks = body.Blocks ?? [] };
    }

    public static ArticleBody Of(params Block[] blocks) => new(CurrentVersion, blocks);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed class InvalidArticleBodyException(string message) : Exception(message);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ParagraphBlock), "paragraph")]
[JsonDerivedType(typeof(HeadingBlock), "heading")]
[JsonDerivedType(typeof(QuoteBlock), "quote")]
[JsonDerivedType(typeof(ListBlock), "list")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(EmbedBlock), "embed")]
[JsonDerivedType(typeof(ReadAlsoBlock), "readAlso")]
public abstract record Block;

/// <summary>
/// <see cref="Text"/> is inline markup limited to b, i, a[href] and q; it is sanitised when
/// written (<see cref="InlineMarkup"/>), so renderers can trust it.
/// </summary>
public sealed record ParagraphBlock(string Text) : Block;

public sealed record HeadingBlock(string Text, int Level = 2) : Block;

public enum Verification
{
    Verified,
    Unverified,
    Disputed,
}

public sealed record QuoteSource(string Name, string? Url = null);

/// <summary>A quote or figures taken from someone else, with where they come from and whether we checked them.</summary>
public sealed record QuoteBlock(string Text, QuoteSource Source, Verification Verification = Verification.Verified, string? Note = null) : Block;

public enum ListStyle
{
    Unordered,
    Ordered,
}

public sealed record ListBlock(IReadOnlyList<string> Items, ListStyle Style = ListStyle.Unordered) : Block;

/// <summary>An image from the media library; caption, credit and alt override the media's own when set.</summary>
public sealed record ImageBlock(int MediaId, string? Caption = null, string? Credit = null, string? Alt = null) : Block;

/// <summary>Third-party content shown as a link card: nothing is fetched from the provider until the reader clicks.</summary>
public sealed record EmbedBlock(string Url, string? Provider = null, string? Title = null) : Block;

/// <summary>A "Lire aussi" link to another article, resolved at render time so it follows slug changes and unpublishing.</summary>
public sealed record ReadAlsoBlock(int ArticleId) : Block;
