using System.Globalization;
using System.Text;
using System.Xml;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Feeds;

/// <summary>
/// robots.txt, the sitemap index and its pages, and the Google News sitemap.
/// Article and tag sitemaps are cut by id range (ids 1–50,000 on the first page, and so on): each
/// page is one range scan of the primary key, as fast for the millionth article as for the first,
/// where OFFSET paging would read and skip every earlier row. A range holds at most as many
/// published articles as ids, so no page ever exceeds the 50,000-URL limit; ranges with nothing
/// published are left out of the index.
/// <para>
/// The date of a tag or an author is that of its newest published article. For a small list
/// (<see cref="SyndicationOptions.SmallListSize"/> articles or fewer) it is read from the link
/// table's index (ArticleTags by tag, ArticleAuthors by author), one article at a time; for a
/// bigger one by walking the published articles newest first, which meets a busy list's newest
/// in a few steps. Each way costs a walk of the whole archive when used for the other kind of
/// list: a tag with no published article used to be exactly that.
/// </para>
/// </summary>
public static class Sitemaps
{
    public const string IndexPath = "/sitemap.xml";
    public const string PagesPath = "/sitemaps/pages.xml";
    public const string NewsPath = "/sitemaps/news.xml";
    public const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string ImageNamespace = "http://www.google.com/schemas/sitemap-image/1.1";
    public const string NewsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";

    /// <summary>Google News reads the articles of the last two days, at most 1,000 of them.</summary>
    public static readonly TimeSpan NewsWindow = TimeSpan.FromDays(2);
    public const int NewsLimit = 1000;

    public static string ArticlesPath(int page) => $"/sitemaps/articles-{page.ToString(CultureInfo.InvariantCulture)}.xml";

    public static string TagsPath(int page) => $"/sitemaps/tags-{page.ToString(CultureInfo.InvariantCulture)}.xml";

    private const string XmlType = "application/xml; charset=utf-8";

    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    public static async Task<IResult> Robots(HttpContext http, SiteFormat format, SyndicationCache cache, KiosqueDb db)
    {
        return await cache.ServeAsync(http, db, "/robots.txt", _ =>
        {
            var text = new StringBuilder()
                .Append("User-agent: *\n")
                .Append("Allow: /\n")
                // The Mastodon share form only forwards readers; it has nothing to index.
                .Append("Disallow: /partager/\n")
                .Append('\n')
                .Append("Sitemap: ").Append(format.Absolute(http.Request, IndexPath)).Append('\n')
                .ToString();
            return Task.FromResult<Rendered?>(new Rendered(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", null));
        }, () => Task.FromResult(Results.NotFound()));
    }

    /// <summary>GET /sitemap.xml: the pages sitemap, the news sitemap, then one sitemap per id range of articles and of tags.</summary>
    public static async Task<IResult> Index(HttpContext http, KiosqueDb db, SiteFormat format, SyndicationCache cache, IOptions<SyndicationOptions> options)
    {
        var size = options.Value.SitemapPageSize;
        return await cache.ServeAsync(http, db, IndexPath, async cancellationToken =>
        {
            // One probe per range (the highest id, then "is anything published in ids a–b?"), each
            // stopping at the first row it finds: milliseconds at a million articles, where a
            // grouped pass over every row took seconds. No lastmod per range for the same reason
            // (WordPress's core sitemaps omit it too); crawlers revalidate each page with its ETag.
            var articleRanges = new List<int>();
            var lastArticle = await db.Articles.MaxAsync(a => (int?)a.Id, cancellationToken) ?? 0;
            for (var range = 0; (long)range * size < lastArticle; range++)
            {
                var (first, last) = Bounds(range, size);
                if (await PublishedInRange(db, first, last).AnyAsync(cancellationToken))
                {
                    articleRanges.Add(range + 1);
                }
            }
            var tagRanges = new List<int>();
            var lastTag = await db.Tags.MaxAsync(t => (int?)t.Id, cancellationToken) ?? 0;
            for (var range = 0; (long)range * size < lastTag; range++)
            {
                var (first, last) = Bounds(range, size);
                // From the tag links of the range to their articles, stopping at the first published
                // one: a walk of every published article when the range's tags had none.
                if (await db.ArticleTags.AnyAsync(x => x.TagId >= first && x.TagId <= last && db.Published().Any(a => a.Id == x.ArticleId), cancellationToken))
                {
                    tagRanges.Add(range + 1);
                }
            }

            return Xml(xml =>
            {
                xml.WriteStartElement("sitemapindex", SitemapNamespace);
                IndexEntry(xml, format.Absolute(http.Request, PagesPath));
                IndexEntry(xml, format.Absolute(http.Request, NewsPath));
                foreach (var page in articleRanges)
                {
                    IndexEntry(xml, format.Absolute(http.Request, ArticlesPath(page)));
                }
                foreach (var page in tagRanges)
                {
                    IndexEntry(xml, format.Absolute(http.Request, TagsPath(page)));
                }
                xml.WriteEndElement();
            }, null);
        }, () => Task.FromResult(Results.NotFound()),
        // Only a publication, unpublication or move (or a tag's change) adds or removes a range.
        unchangedSince: async (position, cancellationToken) => !await ChangeLogQueries.AnySinceAsync(db, position,
            c => ((c.Scope == ChangeScope.Article && c.Before != c.After) || c.Scope == ChangeScope.Tag), cancellationToken));
    }

    /// <summary>
    /// The published articles whose ids are <paramref name="first"/> to <paramref name="last"/>,
    /// read along the primary key. The ids are picked in a subquery closed by Take, which the
    /// database does not merge with the readers' filter: SQLite's sampled statistics (PRAGMA
    /// optimize with an analysis limit) make the status index look selective, and each range
    /// then cost a walk of that index over the whole archive (150 ms each at 1,000,000 articles).
    /// </summary>
    private static IQueryable<Article> PublishedInRange(KiosqueDb db, int first, int last) =>
        db.Articles.AsNoTracking().Where(a => a.Id >= first && a.Id <= last).OrderBy(a => a.Id).Take(last - first + 1).Published();

    private static (int First, int Last) Bounds(int range, int size) =>
        ((int)Math.Min(int.MaxValue, (long)range * size + 1), (int)Math.Min(int.MaxValue, ((long)range + 1) * size));

    /// <summary>GET /sitemaps/pages.xml: the home page, every section, and every author with a published article.</summary>
    public static async Task<IResult> Pages(HttpContext http, KiosqueDb db, SiteFormat format, SyndicationCache cache, IOptions<SyndicationOptions> options)
    {
        var small = options.Value.SmallListSize;
        return await cache.ServeAsync(http, db, PagesPath, async cancellationToken =>
        {
            // Newsrooms have tens of sections and authors, not tens of thousands; the cap only
            // keeps the file within the protocol's limit whatever happens.
            const int room = SyndicationOptions.MaxSitemapPageSize - 1;
            var sections = await db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name)
                .Select(s => new { s.Slug, LastModified = db.Published().Where(a => a.SectionId == s.Id).Max(a => (DateTime?)a.PublishedAt) })
                .Take(room).ToListAsync(cancellationToken);
            // Filtered here rather than in SQL, which would compute each author's date twice.
            var authors = (await db.Authors.AsNoTracking().OrderBy(a => a.Id)
                .Select(au => new
                {
                    au.Slug,
                    // Counting stops past "small". The order is by the column the filter fixes: free,
                    // and EF Core wants one before Take.
                    LastModified = db.ArticleAuthors.Where(p => p.AuthorId == au.Id).OrderBy(p => p.AuthorId).Take(small + 1).Count() <= small
                        ? db.ArticleAuthors.Where(p => p.AuthorId == au.Id).Max(p => db.Published().Where(a => a.Id == p.ArticleId).Select(a => a.PublishedAt).FirstOrDefault())
                        : db.Published().Where(a => a.Authors.Any(p => p.AuthorId == au.Id)).Max(a => a.PublishedAt),
                })
                .ToListAsync(cancellationToken))
                .Where(a => a.LastModified != null).Take(room - sections.Count).ToList();
            var newest = await db.Published().MaxAsync(a => (DateTime?)a.PublishedAt, cancellationToken);

            return Xml(xml =>
            {
                xml.WriteStartElement("urlset", SitemapNamespace);
                UrlEntry(xml, format.Absolute(http.Request, "/"), newest, format);
                foreach (var section in sections)
                {
                    UrlEntry(xml, format.Absolute(http.Request, SiteFormat.SectionPath(section.Slug)), section.LastModified, format);
                }
                foreach (var author in authors)
                {
                    UrlEntry(xml, format.Absolute(http.Request, SiteFormat.AuthorPath(author.Slug)), author.LastModified, format);
                }
                xml.WriteEndElement();
            }, newest);
        }, () => Task.FromResult(Results.NotFound()),
        // Corrections change no date here: only publications, unpublications and moves do, and
        // changes to sections and authors.
        unchangedSince: async (position, cancellationToken) => !await ChangeLogQueries.AnySinceAsync(db, position,
            c => ((c.Scope == ChangeScope.Article && c.Before != c.After) || c.Scope == ChangeScope.Section || c.Scope == ChangeScope.Author), cancellationToken));
    }

    /// <summary>GET /sitemaps/articles-{page}.xml: the published articles whose ids fall in the page's range, with their hero image.</summary>
    public static async Task<IResult> Articles(string page, HttpContext http, KiosqueDb db, SiteFormat format, SyndicationCache cache, IOptions<SyndicationOptions> options, IOptions<KiosqueOptions> site)
    {
        var size = options.Value.SitemapPageSize;
        if (!TryReadRange(page, size, out var first, out var last))
        {
            return await SitePages.NotFoundAsync(http, db, format, site, http.RequestAborted);
        }
        return await cache.ServeAsync(http, db, "/sitemaps/articles-" + page, async cancellationToken =>
        {
            var articles = await PublishedInRange(db, first, last).OrderBy(a => a.Id)
                .Select(a => new { a.Slug, a.UpdatedAt, PublishedAt = a.PublishedAt!.Value, Hero = a.HeroMedia == null ? null : a.HeroMedia.FileName, a.Coverage })
                .ToListAsync(cancellationToken);
            if (articles.Count == 0)
            {
                return null;
            }
            // 50,000 entries: the address prefixes once, not per entry.
            var articleBase = format.Absolute(http.Request, SiteFormat.ArticlePath(""));
            var mediaBase = format.Absolute(http.Request, SiteFormat.MediaPath(""));
            return Xml(xml =>
            {
                xml.WriteStartElement("urlset", SitemapNamespace);
                xml.WriteAttributeString("xmlns", "image", null, ImageNamespace);
                foreach (var article in articles)
                {
                    xml.WriteStartElement("url");
                    xml.WriteElementString("loc", article.Coverage == Coverage.None ? articleBase + article.Slug : format.Absolute(http.Request, SiteFormat.LivePath(article.Slug)));
                    xml.WriteElementString("lastmod", Utc(ArticleDates.Modified(article.PublishedAt, article.UpdatedAt)));
                    if (article.Hero is not null)
                    {
                        Image(xml, mediaBase + article.Hero);
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }, articles.Max(a => ArticleDates.Modified(a.PublishedAt, a.UpdatedAt)), articles.Count * 200);
        }, () => SitePages.NotFoundAsync(http, db, format, site, http.RequestAborted),
        // Only a change to an article of this id range changes this page.
        unchangedSince: async (position, cancellationToken) => !await ChangeLogQueries.AnySinceAsync(db, position,
            c => c.Scope == ChangeScope.Article && c.EntityId >= first && c.EntityId <= last, cancellationToken));
    }

    /// <summary>GET /sitemaps/tags-{page}.xml: the tags in the page's id range that have a published article.</summary>
    public static async Task<IResult> Tags(string page, HttpContext http, KiosqueDb db, SiteFormat format, SyndicationCache cache, IOptions<SyndicationOptions> options, IOptions<KiosqueOptions> site)
    {
        var size = options.Value.SitemapPageSize;
        var small = options.Value.SmallListSize;
        if (!TryReadRange(page, size, out var first, out var last))
        {
            return await SitePages.NotFoundAsync(http, db, format, site, http.RequestAborted);
        }
        return await cache.ServeAsync(http, db, "/sitemaps/tags-" + page, async cancellationToken =>
        {
            // Filtered here rather than in SQL, which would compute each tag's date twice.
            var tags = (await db.Tags.AsNoTracking().Where(t => t.Id >= first && t.Id <= last).OrderBy(t => t.Id)
                .Select(t => new
                {
                    t.Slug,
                    LastModified = db.ArticleTags.Where(x => x.TagId == t.Id).OrderBy(x => x.TagId).Take(small + 1).Count() <= small
                        ? db.ArticleTags.Where(x => x.TagId == t.Id).Max(x => db.Published().Where(a => a.Id == x.ArticleId).Select(a => a.PublishedAt).FirstOrDefault())
                        : db.Published().Where(a => a.Tags.Any(at => at.TagId == t.Id)).Max(a => a.PublishedAt),
                })
                .ToListAsync(cancellationToken))
                .Where(t => t.LastModified != null).ToList();
            if (tags.Count == 0)
            {
                return null;
            }
            return Xml(xml =>
            {
                xml.WriteStartElement("urlset", SitemapNamespace);
                foreach (var tag in tags)
                {
                    UrlEntry(xml, format.Absolute(http.Request, SiteFormat.TagPath(tag.Slug)), tag.LastModified, format);
                }
                xml.WriteEndElement();
            }, tags.Max(t => t.LastModified));
        }, () => SitePages.NotFoundAsync(http, db, format, site, http.RequestAborted),
        // Only a change to a tag of the range, or an article entering or leaving one of them (or
        // changing date in it), changes this page.
        unchangedSince: (position, cancellationToken) => TagsUnchangedSinceAsync(db, position, first, last, cancellationToken));
    }

    private static async Task<bool> TagsUnchangedSinceAsync(KiosqueDb db, long position, int first, int last, CancellationToken cancellationToken)
    {
        // Memberships are strings: read the (few) changed rows and look inside them here. Past a
        // burst (an import), rendering again is cheaper than reading the log.
        const int limit = 1000;
        var changes = await ChangeLogQueries.SinceAsync(db, position,
            c => (c.Scope == ChangeScope.Article && c.Before != c.After) || (c.Scope == ChangeScope.Tag && c.EntityId >= first && c.EntityId <= last),
            limit, cancellationToken);
        return changes.Count <= limit && changes.All(c => c.Scope == ChangeScope.Article
            && !ArticleMemberships.Lists(c.Before).Tags.Concat(ArticleMemberships.Lists(c.After).Tags).Any(id => id >= first && id <= last));
    }

    /// <summary>GET /sitemaps/news.xml: the articles of the last two days, for Google News.</summary>
    public static async Task<IResult> News(HttpContext http, KiosqueDb db, SiteFormat format, SyndicationCache cache, TimeProvider clock)
    {
        return await cache.ServeAsync(http, db, NewsPath, async cancellationToken =>
        {
            var since = clock.GetUtcNow().UtcDateTime - NewsWindow;
            var articles = await db.Published().Where(a => a.PublishedAt >= since).NewestFirst().Take(NewsLimit)
                .Select(a => new { a.Slug, a.Headline, PublishedAt = a.PublishedAt!.Value, a.UpdatedAt, Hero = a.HeroMedia == null ? null : a.HeroMedia.FileName, a.Coverage })
                .ToListAsync(cancellationToken);
            return Xml(xml =>
            {
                xml.WriteStartElement("urlset", SitemapNamespace);
                xml.WriteAttributeString("xmlns", "news", null, NewsNamespace);
                xml.WriteAttributeString("xmlns", "image", null, ImageNamespace);
                foreach (var article in articles)
                {
                    xml.WriteStartElement("url");
                    xml.WriteElementString("loc", format.Absolute(http.Request, SiteFormat.ItemPath(article.Slug, article.Coverage)));
                    xml.WriteElementString("lastmod", format.Iso(ArticleDates.Modified(article.PublishedAt, article.UpdatedAt)));
                    xml.WriteStartElement("news", "news", NewsNamespace);
                    xml.WriteStartElement("news", "publication", NewsNamespace);
                    xml.WriteElementString("news", "name", NewsNamespace, FeedWriters.Clean(format.SiteName));
                    xml.WriteElementString("news", "language", NewsNamespace, format.Culture.TwoLetterISOLanguageName);
                    xml.WriteEndElement();
                    xml.WriteElementString("news", "publication_date", NewsNamespace, format.Iso(article.PublishedAt));
                    xml.WriteElementString("news", "title", NewsNamespace, FeedWriters.Clean(article.Headline));
                    xml.WriteEndElement();
                    if (article.Hero is not null)
                    {
                        Image(xml, format.Absolute(http.Request, SiteFormat.MediaPath(article.Hero)));
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }, articles.Count == 0 ? null : articles.Max(a => ArticleDates.Modified(a.PublishedAt, a.UpdatedAt)));
        }, () => Task.FromResult(Results.NotFound()), lifetime: TimeSpan.FromMinutes(5));
    }

    /// <summary>"3" → ids 100,001–150,000 at 50,000 a page; anything but a positive page number is refused.</summary>
    private static bool TryReadRange(string page, int size, out int first, out int last)
    {
        first = last = 0;
        if (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || page.StartsWith('0')
            || ((long)number - 1) * size + 1 > int.MaxValue)
        {
            return false;
        }
        // Ints, as the ids are: a long here would make the database compare through a cast and
        // lose the primary-key range scan.
        (first, last) = Bounds(number - 1, size);
        return true;
    }

    /// <summary>A W3C date-time in UTC: the sortable format has a fast path, which counts at 50,000 entries a page.</summary>
    private static string Utc(DateTime utc) => utc.ToString("s", CultureInfo.InvariantCulture) + "Z";

    private static Rendered Xml(Action<XmlWriter> write, DateTime? lastModified, int expectedBytes = 0)
    {
        using var stream = new MemoryStream(expectedBytes);
        using (var xml = XmlWriter.Create(stream, XmlSettings))
        {
            xml.WriteStartDocument();
            write(xml);
            xml.WriteEndDocument();
        }
        return new Rendered(stream.ToArray(), XmlType, lastModified);
    }

    private static void IndexEntry(XmlWriter xml, string url)
    {
        xml.WriteStartElement("sitemap");
        xml.WriteElementString("loc", url);
        xml.WriteEndElement();
    }

    private static void UrlEntry(XmlWriter xml, string url, DateTime? lastModified, SiteFormat format)
    {
        xml.WriteStartElement("url");
        xml.WriteElementString("loc", url);
        if (lastModified is DateTime modified)
        {
            xml.WriteElementString("lastmod", format.Iso(modified));
        }
        xml.WriteEndElement();
    }

    private static void Image(XmlWriter xml, string url)
    {
        xml.WriteStartElement("image", "image", ImageNamespace);
        xml.WriteElementString("image", "loc", ImageNamespace, url);
        xml.WriteEndElement();
    }
}
