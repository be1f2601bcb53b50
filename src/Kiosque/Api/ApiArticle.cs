using System.Text.Json;

namespace Kiosque.Api;

/// <summary>What lists show of an article: its teaser, and ids and slugs of what it links to (details through <c>include</c>).</summary>
public sealed record ApiArticleSummary(
    int Id,
    string Slug,
    string Url,
    string Kicker,
    string Headline,
    string Standfirst,
    DateTimeOffset PublishedAt,
    DateTimeOffset? UpdatedAt,
    ApiRef Section,
    IReadOnlyList<ApiRef> Authors,
    IReadOnlyList<ApiRef> Tags,
    int? HeroPictureId);

/// <summary>One article: everything its page shows, with the body as stored blocks and as HTML.</summary>
public sealed record ApiArticle(
    int Id,
    string Slug,
    string Url,
    string Kicker,
    string Headline,
    string Standfirst,
    DateTimeOffset PublishedAt,
    DateTimeOffset? UpdatedAt,
    ApiSection Section,
    IReadOnlyList<ApiAuthor> Authors,
    IReadOnlyList<ApiTag> Tags,
    ApiPicture? Hero,
    IReadOnlyList<ApiPicture> Pictures,
    JsonElement Body,
    string Html,
    IReadOnlyList<ApiCorrection> Corrections);

/// <summary>A link to a section, tag or author by id and slug.</summary>
public sealed record ApiRef(int Id, string Slug);

public sealed record ApiSection(int Id, string Slug, string Name, string Description, string Url);

public sealed record ApiTag(int Id, string Slug, string Name, string Url);

public sealed record ApiAuthor(int Id, string Slug, string Name, string Bio, string Url, ApiPicture? Photo);

public sealed record ApiCorrection(DateTimeOffset At, string Text);

/// <summary>A search result: the article's teaser and where the words matched.</summary>
public sealed record ApiSearchHit(ApiArticleSummary Article, string? Snippet);
