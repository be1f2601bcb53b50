namespace Kiosque.Site;

public sealed record NavSection(string Slug, string Name);

/// <summary>A feed offered for autodiscovery (<c>&lt;link rel="alternate"&gt;</c>).</summary>
public sealed record FeedLink(string Title, string Url, string ContentType, string FormatName);

/// <summary>What the layout puts in the head of a page: title, description, canonical URL, social cards.</summary>
/// <param name="Url">The page's own absolute URL: its canonical URL, unless <see cref="NotFound"/>.</param>
public sealed record PageMeta(string Title, string? Description, string Url)
{
    /// <summary>
    /// A 404 claims no canonical URL (and no <c>og:url</c>): naming one would tell search engines
    /// that the missing address is a copy of that page.
    /// </summary>
    public bool NotFound { get; init; }

    public string? CanonicalUrl => NotFound ? null : Url;

    public string OgType { get; init; } = "website";

    /// <summary>The page's own picture; pages without one are shown with the newsroom's logo.</summary>
    public string? ImageUrl { get; init; }
    public int? ImageWidth { get; init; }
    public int? ImageHeight { get; init; }
    public string? ImageAlt { get; init; }
    public string? PrevUrl { get; init; }
    public string? NextUrl { get; init; }

    /// <summary>Extra Open Graph properties (article:published_time…), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];

    /// <summary>A serialised schema.org object, already safe to put inside a script element.</summary>
    public string? JsonLd { get; init; }

    /// <summary>The trail from the home page to this one, given to search engines as a BreadcrumbList.</summary>
    public IReadOnlyList<Crumb> Breadcrumbs { get; init; } = [];

    /// <summary>This page's own feeds (a section's, a tag's…); the site's feeds are on every page anyway.</summary>
    public IReadOnlyList<FeedLink> Feeds { get; init; } = [];

    /// <summary>The oEmbed endpoint URL for this page, when other sites may embed it.</summary>
    public string? OEmbedUrl { get; init; }

    public bool NoIndex { get; init; }

    /// <summary>Scheme, host and port of the page's URL, for absolute links the layout builds itself.</summary>
    public string Origin => new Uri(Url).GetLeftPart(UriPartial.Authority);
}

/// <summary>Everything the layout needs besides the page itself.</summary>
public sealed record Chrome(PageMeta Meta, IReadOnlyList<NavSection> Sections, string? CurrentSection = null);
