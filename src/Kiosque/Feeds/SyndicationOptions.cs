namespace Kiosque.Feeds;

/// <summary>
/// The syndication settings, read from the same <c>Kiosque</c> section as <see cref="KiosqueOptions"/>
/// (<c>Kiosque:WebSubHub</c>, <c>Kiosque:FeedSize</c>, <c>Kiosque:SitemapPageSize</c>, <c>Kiosque:SmallListSize</c>).
/// </summary>
public sealed class SyndicationOptions
{
    /// <summary>Sitemaps may hold at most 50,000 URLs (sitemaps.org).</summary>
    public const int MaxSitemapPageSize = 50_000;

    /// <summary>A WebSub hub (e.g. https://pubsubhubbub.appspot.com/) named in every feed and told when a feed changes; none when empty.</summary>
    public string? WebSubHub { get; set; }

    /// <summary>How many of the newest articles each feed carries, in full text.</summary>
    public int FeedSize { get; set; } = 20;

    /// <summary>URLs per sitemap page; lower only to test paging without 50,001 articles.</summary>
    public int SitemapPageSize { get; set; } = MaxSitemapPageSize;

    /// <summary>
    /// Tags and authors with at most this many articles are read from their link table's index,
    /// bigger ones by walking the published articles newest first (see <see cref="Sitemaps"/>);
    /// lower only to test the big lists' queries without a thousand articles.
    /// </summary>
    public int SmallListSize { get; set; } = 1000;

    /// <summary>
    /// Documents (feeds, sitemap pages, robots.txt) the syndication cache keeps; past it the least
    /// recently served go first. Enough for every feed of a large newsroom; lower only to test eviction.
    /// </summary>
    public int SyndicationCacheEntries { get; set; } = 2000;

    public Uri? WebSubHubUri => string.IsNullOrWhiteSpace(WebSubHub) ? null : new Uri(WebSubHub);

    public static bool IsValidHub(string? hub) =>
        string.IsNullOrWhiteSpace(hub)
        || (Uri.TryCreate(hub, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
