namespace Kiosque.Feeds;

public enum FeedFormat
{
    Rss,
    Atom,
    Json,
}

/// <summary>
/// Where a list's feeds live: beside the list page, so an aggregator given any page's address
/// finds them (<c>/rss.xml</c>, <c>/rubrique/x/atom.xml</c>, <c>/auteur/y/feed.json</c>).
/// </summary>
public static class FeedPaths
{
    public const string RssFile = "rss.xml";
    public const string AtomFile = "atom.xml";
    public const string JsonFile = "feed.json";

    public static readonly FeedFormat[] Formats = [FeedFormat.Rss, FeedFormat.Atom, FeedFormat.Json];

    /// <summary>The feed of the list shown at <paramref name="pagePath"/> ("/" for the whole site).</summary>
    public static string For(string pagePath, FeedFormat format) =>
        pagePath.TrimEnd('/') + "/" + FileName(format);

    public static string FileName(FeedFormat format) => format switch
    {
        FeedFormat.Rss => RssFile,
        FeedFormat.Atom => AtomFile,
        _ => JsonFile,
    };

    public static string ContentType(FeedFormat format) => format switch
    {
        FeedFormat.Rss => "application/rss+xml",
        FeedFormat.Atom => "application/atom+xml",
        _ => "application/feed+json",
    };

    /// <summary>The name readers know each format by, for link titles.</summary>
    public static string DisplayName(FeedFormat format) => format switch
    {
        FeedFormat.Rss => "RSS",
        FeedFormat.Atom => "Atom",
        _ => "JSON Feed",
    };
}

/// <summary>Autodiscovery links for a list's three feeds.</summary>
public static class FeedLinks
{
    public static IReadOnlyList<Site.FeedLink> For(string title, string pagePath, string origin, Microsoft.Extensions.Localization.IStringLocalizer text) =>
        FeedPaths.Formats.Select(f => new Site.FeedLink(text["Feed.LinkTitle", title, FeedPaths.DisplayName(f)], origin + FeedPaths.For(pagePath, f), FeedPaths.ContentType(f), FeedPaths.DisplayName(f))).ToList();
}
