namespace Kiosque.Site;

public sealed record NavSection(string Slug, string Name);

/// <summary>What the layout puts in the head of a page: title, description, canonical URL, social cards.</summary>
public sealed record PageMeta(string Title, string? Description, string CanonicalUrl)
{
    public string OgType { get; init; } = "website";
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

    public bool NoIndex { get; init; }
}

/// <summary>Everything the layout needs besides the page itself.</summary>
public sealed record Chrome(PageMeta Meta, IReadOnlyList<NavSection> Sections, string? CurrentSection = null);
