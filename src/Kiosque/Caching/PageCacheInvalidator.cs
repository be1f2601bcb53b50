using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Jobs;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Caching;

/// <summary>
/// Follows the change log (on every node, through <see cref="ChangeFeed"/>) and evicts exactly the
/// pages a change affects, then tells the front cache the same tags:
/// <list type="bullet">
/// <item>an article: every page showing it (its own, cards, related and read-also links:
/// <c>article:N</c>); and when the lists it belongs to changed (publication, unpublication, new
/// date, section, tags or authors; see <see cref="ArticleMemberships"/>), the home page and every
/// list it was in before or is in after, since their order and pages shift;</item>
/// <item>a section: every page (the navigation shows them all);</item>
/// <item>a tag: its list and every page showing an article that carries it (article pages, and feeds, which list tags as categories);</item>
/// <item>an author: their list and every page showing one of their articles (bylines, cards);</item>
/// <item>a medium: the pages showing it (body images, author photos) and those of the articles it illustrates;</item>
/// <item>a redirect: its cached 301;</item>
/// <item>a live entry: its live page.</item>
/// </list>
/// </summary>
public sealed partial class PageCacheInvalidator(PageStore store, SiteNav nav, FrontPurger purger, IServiceScopeFactory scopes, ILogger<PageCacheInvalidator> logger) : IContentChangeHandler
{
    public async Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Any(c => c.Scope == ChangeScope.Section))
        {
            nav.Invalidate();
        }
        await using var scope = scopes.CreateAsyncScope();
        var (tags, everything) = await TagsAsync(changes, scope.ServiceProvider.GetRequiredService<KiosqueDb>(), cancellationToken);
        if (everything)
        {
            store.Clear();
            purger.Purge([PageTags.Site]);
            LogEvicted(logger, changes.Count, "all", store.Count);
            return;
        }
        var removed = store.Evict(tags);
        purger.Purge(tags);
        LogEvicted(logger, changes.Count, string.Join(' ', tags.Take(20)), removed);
    }

    /// <summary>
    /// The tags of the pages these changes make stale, or everything (a section, which every
    /// page's navigation shows). The static mirror (Mirror/MirrorExport) asks the same question
    /// of the changes since its last run.
    /// </summary>
    public static async Task<(HashSet<string> Tags, bool Everything)> TagsAsync(IEnumerable<ContentChange> changes, KiosqueDb db, CancellationToken cancellationToken)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var everything = false;
        var authors = new List<int>();
        var tagged = new List<int>();
        var media = new List<int>();
        foreach (var change in changes)
        {
            switch (change.Scope)
            {
                case ChangeScope.Article:
                    tags.Add(PageTags.ArticleTag(change.EntityId));
                    tags.Add(PageTags.Archive);
                    if (change.Before != change.After)
                    {
                        tags.Add(PageTags.Home);
                        AddMemberships(tags, change.Before);
                        AddMemberships(tags, change.After);
                    }
                    break;
                case ChangeScope.Section:
                    everything = true;
                    break;
                case ChangeScope.Tag:
                    tags.Add(PageTags.TagTag(change.EntityId));
                    tagged.Add(change.EntityId);
                    break;
                case ChangeScope.Author:
                    tags.Add(PageTags.AuthorTag(change.EntityId));
                    authors.Add(change.EntityId);
                    break;
                case ChangeScope.Media:
                    tags.Add(PageTags.MediaTag(change.EntityId));
                    media.Add(change.EntityId);
                    break;
                case ChangeScope.Redirect:
                    tags.Add(PageTags.RedirectTag(change.EntityId));
                    break;
                case ChangeScope.LiveEntry:
                    // An entry shows only on its live page (and its feed), both tagged with the page's article.
                    if (LiveEntryChange.Parse(change) is { } entry)
                    {
                        tags.Add(PageTags.ArticleTag(entry.ArticleId));
                    }
                    break;
                case ChangeScope.Home:
                    // Curation changes only the home page's lead and featured pieces.
                    tags.Add(PageTags.Home);
                    break;
                default:
                    everything = true;
                    break;
            }
        }
        if (!everything && (authors.Count > 0 || media.Count > 0 || tagged.Count > 0))
        {
            // Cards show bylines and hero images, and feeds tag names, without tagging them: find their articles.
            var articles = await db.Articles.AsNoTracking()
                .Where(a => a.Authors.Any(p => authors.Contains(p.AuthorId)) || a.Tags.Any(t => tagged.Contains(t.TagId)) || (a.HeroMediaId != null && media.Contains(a.HeroMediaId.Value)))
                .Select(a => a.Id).ToListAsync(cancellationToken);
            tags.UnionWith(articles.Select(PageTags.ArticleTag));
        }
        return (tags, everything);
    }

    private static void AddMemberships(HashSet<string> tags, string? memberships)
    {
        if (string.IsNullOrEmpty(memberships))
        {
            return;
        }
        foreach (var token in memberships.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // The publication time is part of the string only so that a new date counts as a move.
            if (!token.StartsWith(ArticleMemberships.PublishedPrefix, StringComparison.Ordinal))
            {
                tags.Add(token);
            }
        }
    }

    [LoggerMessage(LogLevel.Debug, "{Changes} changes: evicted {Tags} ({Removed} pages).")]
    private static partial void LogEvicted(ILogger logger, int changes, string tags, int removed);
}
