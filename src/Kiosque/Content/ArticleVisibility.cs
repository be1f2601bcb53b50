using System.Linq.Expressions;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Content;

/// <summary>
/// The one rule of what readers may see: a published article with a publication date. The site,
/// feeds, sitemaps and the search index all apply this rule, and nothing else decides it.
/// </summary>
public static class ArticleVisibility
{
    private static readonly Expression<Func<Article, bool>> IsPublic = a => a.Status == ArticleStatus.Published && a.PublishedAt != null;

    /// <summary>The rule on values already read (a search document, a change being applied).</summary>
    public static bool IsVisible(ArticleStatus status, DateTime? publishedAt) => status == ArticleStatus.Published && publishedAt is not null;

    /// <summary>Only what readers may see. Every public query starts here.</summary>
    public static IQueryable<Article> Published(this KiosqueDb db) => db.Articles.AsNoTracking().Published();

    /// <summary>
    /// The same rule, applied on top of a query that picks its rows by id first (closed with
    /// <c>Take</c>, so the database reads those rows by primary key rather than by status).
    /// </summary>
    public static IQueryable<Article> Published(this IQueryable<Article> articles) => articles.Where(IsPublic);
}
