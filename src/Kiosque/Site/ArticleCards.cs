using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Site;

/// <summary>
/// A picture as pages show it. <see cref="RenditionsPath"/> and <see cref="CropsPath"/> are set once
/// the background worker has made the renditions; until then pages show <see cref="FileName"/>.
/// Markup comes from <see cref="Media.Picture"/>.
/// </summary>
public sealed record MediaRef(string FileName, int Width, int Height, string Alt, string Caption, string Credit, string? RenditionsPath = null, string? CropsPath = null)
{
    public string Url => SiteFormat.MediaPath(FileName);
}

public sealed record AuthorRef(string Slug, string Name);

/// <summary>What a list of articles shows of each: the teaser.</summary>
public sealed record ArticleCard(
    int Id,
    string Slug,
    string Kicker,
    string Headline,
    string Standfirst,
    DateTime PublishedAt,
    string SectionSlug,
    string SectionName,
    MediaRef? Hero,
    IReadOnlyList<AuthorRef> Authors,
    Coverage Coverage = Coverage.None)
{
    /// <summary>Where the card leads: a live page has its own address.</summary>
    public string Path => SiteFormat.ItemPath(Slug, Coverage);
}

/// <summary>A page of a list, with what the pager needs.</summary>
public sealed record CardPage(IReadOnlyList<ArticleCard> Cards, int Page, int PageCount, int Total);

public static class ArticleCards
{
    /// <summary>
    /// The teaser of each article. Split in two queries (cards, then their bylines for those ids):
    /// as one, SQLite materialises every byline of the archive for the join, which made a page of
    /// cards cost milliseconds per thousand articles.
    /// </summary>
    public static IQueryable<ArticleCard> ToCards(this IQueryable<Article> articles) =>
        articles.AsSplitQuery().Select(a => new ArticleCard(
            a.Id,
            a.Slug,
            a.Kicker,
            a.Headline,
            a.Standfirst,
            a.PublishedAt!.Value,
            a.Section.Slug,
            a.Section.Name,
            a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
            a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
            a.Coverage));

    public static IQueryable<Article> NewestFirst(this IQueryable<Article> articles) =>
        articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);

    /// <summary>One page, newest first; null when the page number is past the end (the caller answers 404).</summary>
    public static async Task<CardPage?> PageAsync(this IQueryable<Article> articles, int page, int pageSize, CancellationToken cancellationToken)
    {
        var total = await articles.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
        if (page > pageCount)
        {
            return null;
        }
        var cards = await articles.NewestFirst().Skip((page - 1) * pageSize).Take(pageSize).ToCards().ToListAsync(cancellationToken);
        return new CardPage(cards, page, pageCount, total);
    }
}
