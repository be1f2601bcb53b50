using Kiosque.Caching;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Feeds;
using Kiosque.Jobs;
using Kiosque.Media;
using Kiosque.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
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
    string Url)
{
    /// <summary>What <c>article:modified_time</c> and JSON-LD <c>dateModified</c> both say (<see cref="ArticleDates"/>).</summary>
    public DateTime ModifiedAt => UpdatedAt ?? PublishedAt;
}

public static class ArticlePage
{
    private const int RelatedCount = 4;

    /// <summary>How long a render waits for the search index to apply the change that evicted it.</summary>
    private static readonly TimeSpan RelatedPatience = TimeSpan.FromSeconds(2);

    /// <summary>GET /article/{slug}: published articles only; an old slug answers 301, anything else 404.</summary>
    public static async Task<IResult> Get(string slug, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        await RenderAsync(db.Published().Where(a => a.Slug == slug), http, db, format, renderer, options, text, previewNotice: null, cancellationToken)
            ?? await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);

    /// <summary>
    /// The page of the first article of <paramref name="source"/>, or null. The newsroom preview
    /// calls it with an unpublished article and a notice, so a preview is the real page.
    /// </summary>
    public static async Task<IResult?> RenderAsync(IQueryable<Article> source, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, string? previewNotice, CancellationToken cancellationToken)
    {
        var article = await source
            .Select(a => new
            {
                a.Id,
                a.Slug,
                a.Kicker,
                a.Headline,
                a.Standfirst,
                a.Body,
                PublishedAt = a.PublishedAt ?? a.UpdatedAt,
                a.UpdatedAt,
                a.SeoTitle,
                a.SeoDescription,
                a.SectionId,
                a.HeroMediaId,
                a.Coverage,
                Section = new NavSection(a.Section.Slug, a.Section.Name),
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
                Tags = a.Tags.OrderBy(t => t.Tag.Name).Select(t => new { t.TagId, t.Tag.Slug, t.Tag.Name }).ToList(),
                Corrections = a.Corrections.OrderBy(c => c.At).Select(c => new CorrectionNote(c.At, c.Text)).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return null;
        }
        if (article.Coverage != Coverage.None && previewNotice is null)
        {
            // A live page has one address, /direct/{slug}; the 301 goes if it ever stops being one.
            http.CacheTags().Article(article.Id);
            return Results.Redirect(SiteFormat.LivePath(article.Slug), permanent: true);
        }

        var body = ArticleBody.Parse(article.Body);
        var refs = await LoadReferencesAsync(db, body, cancellationToken);
        var tagIds = article.Tags.Select(t => t.TagId).ToList();
        var search = http.RequestServices.GetRequiredService<SearchIndex>();
        var related = await RelatedAsync(db, search, http.RequestServices.GetRequiredService<ChangeFeed>(), article.Id, BodyRenderer.ToPlainText(body),
            article.SectionId, article.Section.Slug, article.Tags.Select(t => (t.TagId, t.Slug)).ToList(), cancellationToken);

        var url = format.Absolute(http.Request, SiteFormat.ArticlePath(article.Slug));
        var updated = ArticleDates.Updated(article.PublishedAt, article.UpdatedAt);
        var view = new ArticleView(
            article.Id, article.Slug, article.Kicker, article.Headline, article.Standfirst, article.Authors,
            article.PublishedAt, updated, article.Hero, renderer.ToHtml(body, refs), article.Corrections,
            article.Section, article.Tags.Select(t => new TagRef(t.Slug, t.Name)).ToList(), related, url);

        var description = string.IsNullOrWhiteSpace(article.SeoDescription) ? article.Standfirst : article.SeoDescription;
        var origin = format.Absolute(http.Request, "");
        var sectionUrl = format.Absolute(http.Request, SiteFormat.SectionPath(article.Section.Slug));
        // The 16:9 crop around the editor's focal point, the shape social cards show.
        var card = article.Hero is null ? null : Picture.Card(article.Hero);
        var meta = new PageMeta(string.IsNullOrWhiteSpace(article.SeoTitle) ? $"{article.Headline} — {options.Value.SiteName}" : article.SeoTitle, description, url)
        {
            OgType = "article",
            ImageUrl = card is null ? null : format.Absolute(http.Request, card.Url),
            ImageWidth = card?.Width,
            ImageHeight = card?.Height,
            ImageAlt = article.Hero?.Alt,
            Properties =
            [
                new("article:published_time", format.Iso(article.PublishedAt)),
                new("article:modified_time", format.Iso(view.ModifiedAt)),
                .. article.Authors.Select(a => new KeyValuePair<string, string>("article:author", format.Absolute(http.Request, SiteFormat.AuthorPath(a.Slug)))),
                new("article:section", article.Section.Name),
                .. article.Tags.Select(t => new KeyValuePair<string, string>("article:tag", t.Name)),
            ],
            JsonLd = StructuredData.NewsArticle(view, description, origin, format, options.Value),
            Breadcrumbs = [new(options.Value.SiteName, origin + "/"), new(article.Section.Name, sectionUrl), new(article.Headline, url)],
            // Readers who like this piece can follow its section.
            Feeds = FeedLinks.For(article.Section.Name, SiteFormat.SectionPath(article.Section.Slug), origin, text),
            OEmbedUrl = OEmbed.DiscoveryUrl(format, http.Request, url),
            NoIndex = previewNotice is not null,
        };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken), article.Section.Slug);
        // The related list is drawn from the section and the tags, so it changes with their membership.
        var tags = http.CacheTags().Article(article.Id).Section(article.SectionId)
            .Articles(related.Select(r => r.Id))
            .Articles(body.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId));
        foreach (var tagId in tagIds)
        {
            tags.Tag(tagId);
        }
        foreach (var mediaId in body.Blocks.OfType<ImageBlock>().Select(b => b.MediaId).Append(article.HeroMediaId ?? 0).Where(id => id > 0))
        {
            tags.Media(mediaId);
        }
        return SitePages.Render<ArticleViewPage>(new { Chrome = chrome, Article = view, PreviewNotice = previewNotice });
    }

    /// <summary>
    /// Related pieces from the search index (MoreLikeThis over the text, shared tags and section,
    /// recent ones favoured), read back through <c>Published()</c>. While the index cannot answer
    /// (first build, failure), the plain query: same section or a shared tag, newest first.
    /// </summary>
    private static async Task<List<ArticleCard>> RelatedAsync(KiosqueDb db, SearchIndex search, ChangeFeed feed, int id, string text, int sectionId, string sectionSlug, List<(int Id, string Slug)> tags, CancellationToken cancellationToken)
    {
        // The page may have just been evicted by a change the index has not applied yet.
        await search.CatchUpToAsync(feed.Position, RelatedPatience, cancellationToken);
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
            .ToDictionaryAsync(m => m.Id, m => new MediaRef(m.FileName, m.Width, m.Height, m.Alt, m.Caption, m.Credit, m.RenditionsPath, m.CropsPath), cancellationToken);
        // Only published targets: a read-also link must never reveal a draft's headline.
        var articles = articleIds.Count == 0 ? [] : await db.Published().Where(a => articleIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new ReadAlsoRef(a.Slug, a.Headline), cancellationToken);
        return new BodyReferences(media, articles);
    }
}
