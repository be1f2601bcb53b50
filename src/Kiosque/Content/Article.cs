namespace Kiosque.Content;

public class Article
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public string Kicker { get; set; } = "";
    public required string Headline { get; set; }
    public string Standfirst { get; set; } = "";

    /// <summary>The body as versioned JSON blocks (see <see cref="ArticleBody"/>); never editor HTML.</summary>
    public string Body { get; set; } = ArticleBody.Empty;

    public int? HeroMediaId { get; set; }
    public MediaAsset? HeroMedia { get; set; }

    public int SectionId { get; set; }
    public Section Section { get; set; } = null!;

    public ArticleStatus Status { get; set; } = ArticleStatus.Draft;

    /// <summary>First publication; stays put when the article is corrected or republished.</summary>
    public DateTime? PublishedAt { get; set; }
    public DateTime? ScheduledAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Bumped by every content save in the newsroom; a save based on an older version is refused,
    /// so two people editing the same article never overwrite each other silently.
    /// </summary>
    public int Version { get; set; }

    /// <summary>The newsroom account that created the article ("my drafts"); null for imports and demo content.</summary>
    public string? CreatedById { get; set; }

    /// <summary>A live page (« En direct ») when not <see cref="Content.Coverage.None"/>: its entries are <see cref="LiveEntry"/> rows.</summary>
    public Coverage Coverage { get; set; }
    public DateTime? CoverageStartedAt { get; set; }
    public DateTime? CoverageEndedAt { get; set; }

    public string? SeoTitle { get; set; }
    public string? SeoDescription { get; set; }

    public List<ArticleAuthor> Authors { get; set; } = [];

    /// <summary>The pictures the body shows (kept from <see cref="Body"/> by <see cref="ArticlePictures"/>).</summary>
    public List<ArticlePicture> Pictures { get; set; } = [];
    public List<ArticleTag> Tags { get; set; } = [];
    public List<Correction> Corrections { get; set; } = [];
}

