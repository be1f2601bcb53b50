using System.Text.Json;

namespace Kiosque.Content;

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
