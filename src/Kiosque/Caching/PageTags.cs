using Kiosque.ChangeLog;
using Kiosque.Data;

namespace Kiosque.Caching;

/// <summary>
/// What a cached page shows, as the tags its cache entry (and a front cache, through
/// <c>Surrogate-Key</c>/<c>xkey</c>) is filed under. A page tags every article it shows (its own,
/// cards, related, read-also) and every list whose membership it depends on; the change handler
/// evicts by the same names (see <see cref="PageCacheInvalidator"/>).
/// </summary>
public sealed class PageTags
{
    /// <summary>Every cached page: the navigation (sections) is on all of them.</summary>
    public const string Site = "site";

    /// <summary>The home page: the list of every published article.</summary>
    public const string Home = "home";

    /// <summary>Pages that list so many articles (sitemaps, archives) that they cannot tag each one: evicted by every article change.</summary>
    public const string Archive = "archive";

    /// <summary>For requests that are not cached: tags are dropped.</summary>
    internal static readonly PageTags None = new(collect: false);

    private readonly HashSet<string> _tags;
    private readonly bool _collect;

    public PageTags()
        : this(collect: true)
    {
    }

    private PageTags(bool collect)
    {
        _collect = collect;
        _tags = collect ? new(StringComparer.Ordinal) { Site } : [];
    }

    public IReadOnlyCollection<string> All => _tags;

    public static string ArticleTag(int id) => "article:" + id;

    public static string SectionTag(int id) => ArticleMemberships.SectionPrefix + id;

    public static string TagTag(int id) => ArticleMemberships.TagPrefix + id;

    public static string AuthorTag(int id) => ArticleMemberships.AuthorPrefix + id;

    public static string MediaTag(int id) => "media:" + id;

    public static string RedirectTag(int id) => "redirect:" + id;

    public PageTags Add(string tag)
    {
        if (_collect)
        {
            _tags.Add(tag);
        }
        return this;
    }

    /// <summary>Shows these articles: its own page, cards, related pieces, read-also links.</summary>
    public PageTags Articles(IEnumerable<int> ids)
    {
        foreach (var id in ids)
        {
            Add(ArticleTag(id));
        }
        return this;
    }

    public PageTags Article(int id) => Add(ArticleTag(id));

    /// <summary>Depends on which articles are in the section (its list, or a related list drawn from it), or shows its details.</summary>
    public PageTags Section(int id) => Add(SectionTag(id));

    /// <summary>Depends on which articles carry the tag, or shows its name.</summary>
    public PageTags Tag(int id) => Add(TagTag(id));

    /// <summary>Depends on which articles the author signed, or shows the author's page header.</summary>
    public PageTags Author(int id) => Add(AuthorTag(id));

    public PageTags Media(int id) => Add(MediaTag(id));

    public PageTags Redirect(int id) => Add(RedirectTag(id));
}

public static class PageTagsExtensions
{
    /// <summary>The tags of the page being rendered; a no-op collector when this response is not cached.</summary>
    public static PageTags CacheTags(this HttpContext http) => http.Features.Get<PageTags>() ?? PageTags.None;
}
