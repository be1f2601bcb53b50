using System.Text.Json;

namespace Kiosque.Content;

/// <summary>
/// A copy of everything an editor can change, kept at every save so any two versions can be
/// compared and an old one restored. The snapshot is JSON so revisions survive model changes.
/// </summary>
public class ArticleRevision
{
    public long Id { get; set; }
    public int ArticleId { get; set; }

    /// <summary>The article's <see cref="Article.Version"/> this revision produced.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";

    /// <summary>save, autosave, restore…: how the revision came to be.</summary>
    public string Kind { get; set; } = "save";
    public required string Snapshot { get; set; }

    public RevisionSnapshot Read() => JsonSerializer.Deserialize<RevisionSnapshot>(Snapshot, ArticleBody.Json)!;
}

/// <summary>The editable state of an article at one moment; tags and authors by id, in order.</summary>
public sealed record RevisionSnapshot(
    string Slug,
    string Kicker,
    string Headline,
    string Standfirst,
    string Body,
    int SectionId,
    int? HeroMediaId,
    string? SeoTitle,
    string? SeoDescription,
    IReadOnlyList<int> AuthorIds,
    IReadOnlyList<int> TagIds)
{
    public static RevisionSnapshot Of(Article article) => new(
        article.Slug, article.Kicker, article.Headline, article.Standfirst, article.Body, article.SectionId, article.HeroMediaId,
        article.SeoTitle, article.SeoDescription,
        article.Authors.OrderBy(a => a.Position).Select(a => a.AuthorId).ToList(),
        article.Tags.Select(t => t.TagId).Order().ToList());

    public string ToJson() => JsonSerializer.Serialize(this, ArticleBody.Json);
}

/// <summary>A curated place on the home page: position 0 is the lead story, the next ones are featured pieces.</summary>
public class HomeSlot
{
    public int Position { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
}
