using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.ChangeLog;

/// <summary>
/// The public lists an article appears in, as a short canonical string such as
/// <c>published:638…  section:3 tag:7 tag:9 author:2</c> (empty when readers cannot see it). Two
/// states of an article list it in the same places, in the same order, exactly when the strings are
/// equal, so a consumer of the change log tells a correction (same string) from a publication, an
/// unpublication or a move (different strings) without reading the database again.
/// </summary>
public static class ArticleMemberships
{
    public const string PublishedPrefix = "published:";
    public const string SectionPrefix = "section:";
    public const string TagPrefix = "tag:";
    public const string AuthorPrefix = "author:";

    public static string Describe(int sectionId, ArticleStatus status, DateTime? publishedAt, IEnumerable<int> tagIds, IEnumerable<int> authorIds)
    {
        if (publishedAt is not DateTime at || !ArticleVisibility.IsVisible(status, at))
        {
            return "";
        }
        var parts = new List<string> { PublishedPrefix + at.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), SectionPrefix + sectionId };
        parts.AddRange(tagIds.Distinct().Order().Select(id => TagPrefix + id));
        parts.AddRange(authorIds.Distinct().Order().Select(id => AuthorPrefix + id));
        return string.Join(' ', parts);
    }

    /// <summary>The section, tag and author ids a memberships string names (none when it is empty or null).</summary>
    public static (List<int> Sections, List<int> Tags, List<int> Authors) Lists(string? memberships)
    {
        var (sections, tags, authors) = (new List<int>(), new List<int>(), new List<int>());
        foreach (var token in (memberships ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (list, prefix) = token.StartsWith(SectionPrefix, StringComparison.Ordinal) ? (sections, SectionPrefix)
                : token.StartsWith(TagPrefix, StringComparison.Ordinal) ? (tags, TagPrefix)
                : token.StartsWith(AuthorPrefix, StringComparison.Ordinal) ? (authors, AuthorPrefix)
                : (null, "");
            if (list is not null && int.TryParse(token.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                list.Add(id);
            }
        }
        return (sections, tags, authors);
    }

    /// <summary>The memberships of these articles as the database holds them now; deleted ones are absent.</summary>
    public static async Task<Dictionary<int, string>> ReadAsync(KiosqueDb db, IReadOnlyCollection<int> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
        {
            return [];
        }
        var rows = await db.Articles.AsNoTracking().Where(a => articleIds.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                a.SectionId,
                a.Status,
                a.PublishedAt,
                Tags = a.Tags.Select(t => t.TagId).ToList(),
                Authors = a.Authors.Select(p => p.AuthorId).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => Describe(r.SectionId, r.Status, r.PublishedAt, r.Tags, r.Authors));
    }
}
