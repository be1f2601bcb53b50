using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

public sealed record TagRef(string Slug, string Name);

public sealed record CorrectionNote(DateTime At, string Text);

/// <summary>Everything the article page shows, in the order of the anatomy.</summary>
public sealed record ArticleView(
    int Id,
    string Slug,
    string Kicker,
    string Headline,
    string Standfirst,
    IReadOnlyList<AuthorRef> Authors,
    DateTime PublishedAt,
    DateTime? UpdatedAt,
    MediaRef? Hero,
    string BodyHtml,
    IReadOnlyList<CorrectionNote> Corrections,
    NavSection Section,
    IReadOnlyList<TagRef> Tags,
    IReadOnlyList<ArticleCard> Related,
    string Url);

public static class ArticlePage
{
    private const int RelatedCount = 4;

    /// <summary>Edits within this span of publication are not worth an "updated" line.</summary>
    private static readonly TimeSpan UpdateThreshold = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions JsonLdOptions = new()
    {
        // Keeps "<" escaped, so the JSON cannot close its script element; readable accents.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>GET /article/{slug}: published articles only; an old slug answers 301, anything else 404.</summary>
    public static async Task<IResult> Get(string slug, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, SearchIndex search, IOptions<KiosqueOptions> options, CancellationToken cancellationToken)
    {
        var article = await db.Published().Where(a => a.Slug == slug)
            .Select(a => new
            {
                a.Id,
                a.Slug,
                a.Kicker,
                a.Headline,
                a.Standfirst,
                a.Body,
                PublishedAt = a.PublishedAt!.Value,
                a.UpdatedAt,
                a.SeoTitle,
                a.SeoDescription,
                a.SectionId,
                Section = new NavSection(a.Section.Slug, a.Section.Name),
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
                Tags = a.Tags.OrderBy(t => t.Tag.Name).Select(t => new { t.TagId, t.Tag.Slug, t.Tag.Name }).ToList(),
                Corrections = a.Corrections.OrderBy(c => c.At).Select(c => new CorrectionNote(c.At, c.Text)).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }

        var body = ArticleBody.Parse(article.Body);
        var refs = await LoadReferencesAsync(db, body, cancellationToken);
        var related = await RelatedAsync(db, search, article.Id, BodyRenderer.ToPlainText(body),
            article.SectionId, article.Section.Slug, article.Tags.Select(t => (t.TagId, t.Slug)).ToList(), cancellationToken);

        var url = format.Absolute(http.Request, SiteFormat.ArticlePath(article.Slug));
        var updated = article.UpdatedAt - article.PublishedAt > UpdateThreshold ? article.UpdatedAt : (DateTime?)null;
        var view = new ArticleView(
            article.Id, article.Slug, article.Kicker, article.Headline, article.Standfirst, article.Authors,
            article.PublishedAt, updated, article.Hero, renderer.ToHtml(body, refs), article.Corrections,
            article.Section, article.Tags.Select(t => new TagRef(t.Slug, t.Name)).ToList(), related, url);

        var description = article.SeoDescription ?? article.Standfirst;
        var meta = new PageMeta(article.SeoTitle ?? $"{article.Headline} — {options.Value.SiteName}", description, url)
        {
            OgType = "article",
            ImageUrl = article.Hero is null ? null : format.Absolute(http.Request, article.Hero.Url),
            ImageWidth = article.Hero?.Width,
            ImageHeight = article.Hero?.Height,
            ImageAlt = article.Hero?.Alt,
            Properties =
            [
                new("article:published_time", format.Iso(article.PublishedAt)),
                new("article:modified_time", format.Iso(article.UpdatedAt)),
                .. article.Authors.Select(a => new KeyValuePair<string, string>("article:author", format.Absolute(http.Request, SiteFormat.AuthorPath(a.Slug)))),
                new("article:section", article.Section.Name),
                .. article.Tags.Select(t => new KeyValuePair<string, string>("article:tag", t.Name)),
            ],
            JsonLd = JsonLd(view, description, format, http.Request, options.Value),
        };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(cancellationToken), article.Section.Slug);
        return SitePages.Render<ArticleViewPage>(new { Chrome = chrome, Article = view });
    }

    /// <summary>
    /// Related pieces from the search index (MoreLikeThis over the text, shared tags and section,
    /// recent ones favoured), read back through <c>Published()</c>. While the index cannot answer
    /// (first build, failure), the plain query: same section or a shared tag, newest first.
    /// </summary>
    private static async Task<List<ArticleCard>> RelatedAsync(KiosqueDb db, SearchIndex search, int id, string text, int sectionId, string sectionSlug, List<(int Id, string Slug)> tags, CancellationToken cancellationToken)
    {
        // A few spare ones in case the index still lists a piece unpublished a moment ago.
        var ids = search.Related(id, text, tags.Select(t => t.Slug).ToList(), sectionSlug, RelatedCount + 2);
        if (ids is not null)
        {
            if (ids.Count == 0)
            {
                return [];
            }
            // Split, as in SearchPage: a single query would build every byline of the archive first on SQLite.
            var cards = await db.Published().Where(a => ids.Contains(a.Id)).ToCards().AsSplitQuery().ToDictionaryAsync(c => c.Id, cancellationToken);
            return ids.Where(cards.ContainsKey).Select(i => cards[i]).Take(RelatedCount).ToList();
        }
        var tagIds = tags.Select(t => t.Id).ToList();
        return await db.Published()
            .Where(a => a.Id != id && (a.SectionId == sectionId || a.Tags.Any(t => tagIds.Contains(t.TagId))))
            .NewestFirst().Take(RelatedCount).ToCards().ToListAsync(cancellationToken);
    }

    /// <summary>The images and read-also targets a body points to, in two queries whatever its length.</summary>
    public static async Task<BodyReferences> LoadReferencesAsync(KiosqueDb db, ArticleBody body, CancellationToken cancellationToken)
    {
        var mediaIds = body.Blocks.OfType<ImageBlock>().Select(b => b.MediaId).Distinct().ToList();
        var articleIds = body.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId).Distinct().ToList();
        if (mediaIds.Count == 0 && articleIds.Count == 0)
        {
            return BodyReferences.None;
        }
        var media = mediaIds.Count == 0 ? [] : await db.Media.AsNoTracking().Where(m => mediaIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => new MediaRef(m.FileName, m.Width, m.Height, m.Alt, m.Caption, m.Credit), cancellationToken);
        // Only published targets: a read-also link must never reveal a draft's headline.
        var articles = articleIds.Count == 0 ? [] : await db.Published().Where(a => articleIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new ReadAlsoRef(a.Slug, a.Headline), cancellationToken);
        return new BodyReferences(media, articles);
    }

    private static string JsonLd(ArticleView article, string description, SiteFormat format, HttpRequest request, KiosqueOptions options)
    {
        var data = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "NewsArticle",
            ["mainEntityOfPage"] = article.Url,
            ["url"] = article.Url,
            ["headline"] = article.Headline,
            ["description"] = description,
            ["datePublished"] = format.Iso(article.PublishedAt),
            ["dateModified"] = format.Iso(article.UpdatedAt ?? article.PublishedAt),
            ["author"] = article.Authors.Select(a => new Dictionary<string, string>
            {
                ["@type"] = "Person",
                ["name"] = a.Name,
                ["url"] = format.Absolute(request, SiteFormat.AuthorPath(a.Slug)),
            }).ToList(),
            ["image"] = article.Hero is null ? null : new[] { format.Absolute(request, article.Hero.Url) },
            ["articleSection"] = article.Section.Name,
            ["keywords"] = article.Tags.Select(t => t.Name).ToList(),
            ["isAccessibleForFree"] = true,
            ["inLanguage"] = options.Culture,
            ["publisher"] = new Dictionary<string, object>
            {
                ["@type"] = "NewsMediaOrganization",
                ["name"] = options.SiteName,
                ["url"] = format.Absolute(request, "/"),
                ["logo"] = new Dictionary<string, string> { ["@type"] = "ImageObject", ["url"] = format.Absolute(request, "/logo.png") },
            },
        };
        if (data["image"] is null)
        {
            data.Remove("image");
        }
        return JsonSerializer.Serialize(data, JsonLdOptions);
    }
}
