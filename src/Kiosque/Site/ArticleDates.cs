namespace Kiosque.Site;

/// <summary>
/// When an article counts as modified, for every place that says it: the byline's "updated" line,
/// <c>article:modified_time</c>, JSON-LD <c>dateModified</c>, feeds and sitemaps. One rule, so a
/// search engine never reads two different dates for one piece, and never a modification before
/// publication (a piece scheduled or republished has an edit time older than its publication).
/// </summary>
public static class ArticleDates
{
    /// <summary>Edits within this span of publication (a typo fixed at once) are not worth an "updated" line.</summary>
    public static readonly TimeSpan UpdateThreshold = TimeSpan.FromMinutes(5);

    /// <summary>The time of the last edit that counts as an update, or null when there is none.</summary>
    public static DateTime? Updated(DateTime publishedAt, DateTime updatedAt) =>
        updatedAt - publishedAt > UpdateThreshold ? updatedAt : null;

    /// <summary>The last edit that counts, else the publication: never earlier than the publication.</summary>
    public static DateTime Modified(DateTime publishedAt, DateTime updatedAt) => Updated(publishedAt, updatedAt) ?? publishedAt;
}
