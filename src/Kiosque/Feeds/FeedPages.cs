using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Feeds;

/// <summary>One article as every feed format carries it: metadata and the full text, with absolute links.</summary>
public sealed record FeedEntry(
    int Id,
    string Url,
    string Headline,
    string Summary,
    DateTime PublishedAt,
    DateTime UpdatedAt,
    DateTime CreatedAt,
    NavSection Section,
    MediaRef? Hero,
    IReadOnlyList<AuthorRef> Authors,
    IReadOnlyList<TagRef> Tags,
    string ContentHtml,
    string? OwnId = null);

/// <summary>A feed before it is written in one format; every URL in it is absolute.</summary>
public sealed record FeedDocument(
    string Title,
    string Description,
    string PageUrl,
    string FeedUrl,
    string Origin,
    string Language,
    DateTime Updated,
    Uri? Hub,
    IReadOnlyList<FeedEntry> Entries)
{
    public string Absolute(string path) => Origin + path;
}

/// <summary>
/// The feeds of the site and of each section, tag and author, in RSS 2.0, Atom and JSON Feed,
/// with the full text of the newest articles, rendered from the structured body by the feed target
/// of <see cref="BodyRenderer"/>.
/// </summary>
public static class FeedPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <param name="ListTag">The page-cache tag of the list the feed follows: a publish or move in it refreshes the feed.</param>
    /// <param name="Linked">For a tag or an author: the ids of its articles, from the link table (published or not).</param>
    private sealed record Scope(string Title, string Description, string PagePath, IQueryable<Article> Articles, string ListTag, IQueryable<int>? Linked = null);

    public static Task<IResult> Site(HttpContext http, KiosqueDb db, FeedFormat feedFormat) =>
        ServeAsync(http, db, feedFormat, "/", (scopeDb, text, site, _) =>
            Task.FromResult<Scope?>(new Scope(site.SiteName, text["Tagline"], "/", scopeDb.Published(), PageTags.Home)));

    public static Task<IResult> Section(HttpContext http, KiosqueDb db, string slug, FeedFormat feedFormat) =>
        ServeAsync(http, db, feedFormat, SiteFormat.SectionPath(slug), async (scopeDb, text, site, cancellationToken) =>
        {
            var section = await scopeDb.Sections.AsNoTracking().Where(s => s.Slug == slug)
                .Select(s => new { s.Id, s.Name, s.Description }).FirstOrDefaultAsync(cancellationToken);
            return section is null ? null : new Scope(
                $"{section.Name} — {site.SiteName}",
                string.IsNullOrWhiteSpace(section.Description) ? text["Feed.SectionDescription", section.Name, site.SiteName] : section.Description,
                SiteFormat.SectionPath(slug),
                scopeDb.Published().Where(a => a.SectionId == section.Id),
                PageTags.SectionTag(section.Id));
        });

    public static Task<IResult> Tag(HttpContext http, KiosqueDb db, string slug, FeedFormat feedFormat) =>
        ServeAsync(http, db, feedFormat, SiteFormat.TagPath(slug), async (scopeDb, text, site, cancellationToken) =>
        {
            var tag = await scopeDb.Tags.AsNoTracking().Where(t => t.Slug == slug).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
            return tag is null ? null : new Scope(
                $"{tag.Name} — {site.SiteName}",
                text["Feed.TagDescription", tag.Name, site.SiteName],
                SiteFormat.TagPath(slug),
                scopeDb.Published().Where(a => a.Tags.Any(t => t.TagId == tag.Id)),
                PageTags.TagTag(tag.Id),
                // Ordered by the column the filter fixes: free, and EF Core wants an order before Take.
                scopeDb.ArticleTags.Where(t => t.TagId == tag.Id).OrderBy(t => t.TagId).Select(t => t.ArticleId));
        });

    public static Task<IResult> Author(HttpContext http, KiosqueDb db, string slug, FeedFormat feedFormat) =>
        ServeAsync(http, db, feedFormat, SiteFormat.AuthorPath(slug), async (scopeDb, text, site, cancellationToken) =>
        {
            var author = await scopeDb.Authors.AsNoTracking().Where(a => a.Slug == slug).Select(a => new { a.Id, a.Name }).FirstOrDefaultAsync(cancellationToken);
            return author is null ? null : new Scope(
                $"{author.Name} — {site.SiteName}",
                text["Feed.AuthorDescription", author.Name, site.SiteName],
                SiteFormat.AuthorPath(slug),
                scopeDb.Published().Where(a => a.Authors.Any(p => p.AuthorId == author.Id)),
                PageTags.AuthorTag(author.Id),
                scopeDb.ArticleAuthors.Where(p => p.AuthorId == author.Id).OrderBy(p => p.AuthorId).Select(p => p.ArticleId));
        });

    /// <summary>
    /// Renders a feed for the page cache, like any reader page: stored once per change, compressed
    /// once, answered with ETag, Last-Modified and 304, and evicted by the tags of what it shows.
    /// </summary>
    private static async Task<IResult> ServeAsync(HttpContext http, KiosqueDb db, FeedFormat feedFormat, string pagePath, Func<KiosqueDb, IStringLocalizer<SharedResource>, KiosqueOptions, CancellationToken, Task<Scope?>> resolve)
    {
        var services = http.RequestServices;
        var format = services.GetRequiredService<SiteFormat>();
        var options = services.GetRequiredService<IOptions<KiosqueOptions>>();
        var cancellationToken = http.RequestAborted;
        var scope = await resolve(db, services.GetRequiredService<IStringLocalizer<SharedResource>>(), options.Value, cancellationToken);
        if (scope is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var document = await LoadAsync(http, db, scope, feedFormat, cancellationToken);
        var body = feedFormat switch
        {
            FeedFormat.Rss => FeedWriters.Rss(document, format),
            FeedFormat.Atom => FeedWriters.Atom(document, format),
            _ => FeedWriters.Json(document, format),
        };
        return Results.Bytes(body, FeedPaths.ContentType(feedFormat) + "; charset=utf-8",
            lastModified: document.Entries.Count == 0 ? null : new DateTimeOffset(DateTime.SpecifyKind(document.Updated, DateTimeKind.Utc)));
    }

    private static async Task<FeedDocument> LoadAsync(HttpContext http, KiosqueDb db, Scope scope, FeedFormat feedFormat, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var format = services.GetRequiredService<SiteFormat>();
        var renderer = services.GetRequiredService<BodyRenderer>();
        var text = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var syndication = services.GetRequiredService<IOptions<SyndicationOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();

        var articles = scope.Articles;
        if (scope.Linked is not null)
        {
            // A small tag or author: its few articles by id, from the link table's index. The
            // walk down every published article that finds a busy list's newest in a few steps
            // would cross the whole archive looking for a rare list's (see Sitemaps).
            var linked = await scope.Linked.Take(syndication.SmallListSize + 1).ToListAsync(cancellationToken);
            if (linked.Count <= syndication.SmallListSize)
            {
                // Read by id (a subquery closed by Take), not by status: SQLite's sampled
                // statistics would otherwise walk the status index over the whole archive.
                articles = db.Articles.AsNoTracking().Where(a => linked.Contains(a.Id)).OrderBy(a => a.Id).Take(linked.Count).Published();
            }
        }
        var rows = await articles.NewestFirst().Take(syndication.FeedSize)
            .Select(a => new
            {
                a.Id,
                a.Slug,
                a.Headline,
                a.Standfirst,
                a.SeoDescription,
                a.Body,
                PublishedAt = a.PublishedAt!.Value,
                a.UpdatedAt,
                a.CreatedAt,
                Section = new NavSection(a.Section.Slug, a.Section.Name),
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
                Tags = a.Tags.OrderBy(t => t.Tag.Name).Select(t => new TagRef(t.Tag.Slug, t.Tag.Name)).ToList(),
                Corrections = a.Corrections.OrderBy(c => c.At).Select(c => new CorrectionNote(c.At, c.Text)).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        var bodies = rows.Select(r => ParseOrEmpty(r.Body)).ToList();
        // The images and read-also targets of every article, in one round of queries.
        var blocks = ArticleBody.Of([.. bodies.SelectMany(b => b.Blocks)]);
        var refs = await ArticlePage.LoadReferencesAsync(db, blocks, cancellationToken);
        var tags = http.CacheTags().Add(scope.ListTag).Articles(rows.Select(r => r.Id))
            .Articles(blocks.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId));
        foreach (var mediaId in blocks.Blocks.OfType<ImageBlock>().Select(b => b.MediaId))
        {
            tags.Media(mediaId);
        }

        var origin = format.Absolute(http.Request, "");
        var entries = rows.Select((r, i) =>
        {
            var url = format.Absolute(http.Request, SiteFormat.ArticlePath(r.Slug));
            var articleUri = new Uri(url);
            var html = new System.Text.StringBuilder(8192);
            if (r.Hero is not null)
            {
                html.Append(renderer.Figure(r.Hero, "hero", lazy: false, articleUri));
            }
            html.Append(renderer.ToHtml(bodies[i], refs, articleUri));
            if (r.Corrections.Count > 0)
            {
                html.Append("<h2>").Append(Html.Encode(text["Corrections.Title"])).Append("</h2><ul>");
                foreach (var correction in r.Corrections)
                {
                    html.Append("<li>").Append(Html.Encode(format.LongDate(correction.At)))
                        .Append(" — ").Append(Html.Encode(correction.Text)).Append("</li>");
                }
                html.Append("</ul>\n");
            }
            var summary = string.IsNullOrWhiteSpace(r.Standfirst) ? r.SeoDescription ?? "" : r.Standfirst;
            return new FeedEntry(r.Id, url, r.Headline, summary, r.PublishedAt, ArticleDates.Modified(r.PublishedAt, r.UpdatedAt), r.CreatedAt,
                r.Section, r.Hero, r.Authors, r.Tags, html.ToString());
        }).ToList();

        var newest = entries.Count == 0 ? clock.GetUtcNow().UtcDateTime : entries.Max(e => e.UpdatedAt);
        return new FeedDocument(
            scope.Title,
            scope.Description,
            format.Absolute(http.Request, scope.PagePath),
            format.Absolute(http.Request, FeedPaths.For(scope.PagePath, feedFormat)),
            origin,
            format.Culture.TwoLetterISOLanguageName,
            newest,
            syndication.WebSubHubUri,
            entries);
    }

    private static ArticleBody ParseOrEmpty(string json)
    {
        try
        {
            return ArticleBody.Parse(json);
        }
        catch (Exception exception) when (exception is InvalidArticleBodyException or JsonException or NotSupportedException)
        {
            // One damaged body must not take the whole feed down: the entry keeps its summary.
            return ArticleBody.Of();
        }
    }
}
