using System.Globalization;
using Kiosque.Caching;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Feeds;
using Kiosque.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>A key event as the list at the top of a live page shows it.</summary>
public sealed record KeyEventLink(int Id, DateTime At, string Title, string Href);

/// <summary>Everything the live page shows.</summary>
public sealed record LiveView(
    ArticleView Article,
    Coverage Coverage,
    DateTime? StartedAt,
    DateTime? EndedAt,
    string? PinnedHtml,
    IReadOnlyList<KeyEventLink> KeyEvents,
    IReadOnlyList<string> EntriesHtml,
    bool FirstPage,
    string? OlderUrl,
    string EventsUrl,
    long LastEventId);

/// <summary>
/// <c>/direct/{slug}</c>: a live page (an article whose coverage is live or ended), complete
/// without script: the pinned entry, the key events, then the entries newest first, paginated by
/// <c>?avant=ID</c>. Served from the page cache and tagged with the article, so every entry
/// change (logged as <see cref="ChangeScope.LiveEntry"/>) evicts it. The script
/// (<c>wwwroot/js/live.js</c>) then follows <c>/direct/{slug}/events</c> (<see cref="LiveBroadcast"/>).
/// </summary>
public static class LivePage
{
    public const int PageSize = 20;
    private const int KeyEventCount = 12;

    public static async Task<IResult> Get(string slug, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, LiveEntries markup, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        int? before = null;
        var avant = http.Request.Query["avant"];
        if (avant.Count > 0)
        {
            if (avant.Count > 1 || !int.TryParse(avant[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
            }
            before = parsed;
        }
        return await RenderAsync(db.Published().Where(a => a.Slug == slug && a.Coverage != Coverage.None), before, http, db, format, renderer, markup, options, text, cancellationToken)
            ?? await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
    }

    public static async Task<IResult?> RenderAsync(IQueryable<Article> source, int? before, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, LiveEntries markup, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        // Read first: whatever is logged after this point, the stream replays to the script.
        var head = await ChangeLogQueries.NewestAsync(db, cancellationToken);
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
                a.CoverageStartedAt,
                a.CoverageEndedAt,
                Section = new NavSection(a.Section.Slug, a.Section.Name),
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
                Corrections = a.Corrections.OrderBy(c => c.At).Select(c => new CorrectionNote(c.At, c.Text)).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return null;
        }
        var entries = db.LiveEntries.AsNoTracking().Where(e => e.ArticleId == article.Id);
        var page = await LiveEntries.Views(entries.Where(e => before == null || e.Id < before).OrderByDescending(e => e.Id).Take(PageSize + 1)).ToListAsync(cancellationToken);
        var hasOlder = page.Count > PageSize;
        if (hasOlder)
        {
            page.RemoveAt(PageSize);
        }
        if (before is not null && page.Count == 0)
        {
            return null;
        }
        var pinned = await LiveEntries.Views(entries.Where(e => e.Pinned && e.DeletedAt == null).OrderByDescending(e => e.Id).Take(1)).FirstOrDefaultAsync(cancellationToken);
        var keyEvents = await entries.Where(e => e.KeyEvent && e.DeletedAt == null).OrderByDescending(e => e.Id).Take(KeyEventCount)
            .Select(e => new { e.Id, e.PostedAt, e.Title, e.Body }).ToListAsync(cancellationToken);

        var body = ArticleBody.Parse(article.Body);
        var shown = pinned is null ? page : [pinned, .. page];
        var refs = await LiveEntries.ReferencesAsync(db, shown.Append(new LiveEntryView(0, default, null, "", null, "", article.Body, false, false, null, null, null)), cancellationToken);
        var path = SiteFormat.LivePath(article.Slug);
        var onPage = page.Select(e => e.Id).ToHashSet();
        var keyLinks = keyEvents.Select(e => new KeyEventLink(e.Id, e.PostedAt,
            string.IsNullOrWhiteSpace(e.Title) ? Excerpt(LiveEntries.Parse(e.Body)) : e.Title,
            onPage.Contains(e.Id) ? "#" + LiveEntries.Anchor(e.Id) : $"{path}?avant={e.Id + 1}#{LiveEntries.Anchor(e.Id)}")).ToList();

        var url = format.Absolute(http.Request, path);
        var latest = page.Count > 0 && before is null ? page.Max(e => e.EditedAt ?? e.DeletedAt ?? e.PostedAt) : (DateTime?)null;
        var modified = new[] { article.UpdatedAt, latest ?? article.UpdatedAt }.Max();
        var view = new ArticleView(article.Id, article.Slug, article.Kicker, article.Headline, article.Standfirst, article.Authors,
            article.PublishedAt, ArticleDates.Updated(article.PublishedAt, modified), article.Hero, renderer.ToHtml(body, refs), article.Corrections,
            article.Section, [], [], url);
        var live = new LiveView(view, article.Coverage, article.CoverageStartedAt, article.CoverageEndedAt,
            pinned is null ? null : markup.Render(pinned, refs, "epingle-" + pinned.Id),
            keyLinks, page.Select(e => markup.Render(e, refs)).ToList(), before is null,
            hasOlder ? $"{path}?avant={page[^1].Id}" : null,
            path + "/events", head?.Id ?? 0);

        var description = string.IsNullOrWhiteSpace(article.SeoDescription) ? article.Standfirst : article.SeoDescription;
        var origin = format.Absolute(http.Request, "");
        var card = article.Hero is null ? null : Picture.Card(article.Hero);
        var pageUrl = before is null ? url : format.Absolute(http.Request, $"{path}?avant={before}");
        var meta = new PageMeta(string.IsNullOrWhiteSpace(article.SeoTitle) ? $"{article.Headline} — {options.Value.SiteName}" : article.SeoTitle, description, pageUrl)
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
                new("article:section", article.Section.Name),
            ],
            JsonLd = StructuredData.LiveBlogPosting(view, description, origin, format, options.Value, article.CoverageStartedAt ?? article.PublishedAt, article.Coverage == Coverage.Ended ? article.CoverageEndedAt : null,
                page.Where(e => e.DeletedAt is null).Take(10).Select(e => (e.Id, e.PostedAt, e.Title, Text: BodyRenderer.ToPlainText(LiveEntries.Parse(e.Body)))).ToList()),
            Breadcrumbs = [new(options.Value.SiteName, origin + "/"), new(article.Section.Name, format.Absolute(http.Request, SiteFormat.SectionPath(article.Section.Slug))), new(article.Headline, url)],
            Feeds = [new FeedLink(text["Feed.LinkTitle", article.Headline, FeedPaths.DisplayName(FeedFormat.Atom)], format.Absolute(http.Request, FeedPaths.For(path, FeedFormat.Atom)), FeedPaths.ContentType(FeedFormat.Atom), FeedPaths.DisplayName(FeedFormat.Atom)),
                .. FeedLinks.For(article.Section.Name, SiteFormat.SectionPath(article.Section.Slug), origin, text)],
            NextUrl = live.OlderUrl is null ? null : format.Absolute(http.Request, live.OlderUrl),
        };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken), article.Section.Slug);
        var tags = http.CacheTags().Article(article.Id).Articles(refs.Articles.Count == 0 ? [] : body.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId)
            .Concat(shown.SelectMany(e => LiveEntries.Parse(e.Body).Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId))));
        foreach (var mediaId in refs.Media.Keys.Append(article.HeroMediaId ?? 0).Where(id => id > 0))
        {
            tags.Media(mediaId);
        }
        return SitePages.Render<LiveViewPage>(new { Chrome = chrome, Live = live });
    }

    /// <summary>How often an idle stream sends a comment line, so proxies and browsers keep it open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>
    /// GET /direct/{slug}/events: Server-Sent Events of the page's entries (<c>entry</c>, <c>edit</c>,
    /// <c>pin</c>, <c>unpin</c>, <c>delete</c>, <c>end</c>), ids from the change log. A reconnecting browser's
    /// <c>Last-Event-ID</c> (or <c>?lastEventId=</c>, which the script sends on its first connection) is
    /// replayed from the database first; what arrives meanwhile is queued and sent after, without repeats.
    /// </summary>
    public static async Task Events(string slug, HttpContext http, KiosqueDb db, LiveEntries markup, LiveBroadcast stream, CancellationToken cancellationToken)
    {
        var article = await db.Published().Where(a => a.Slug == slug && a.Coverage != Coverage.None).Select(a => new { a.Id, a.Coverage }).FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.Headers.CacheControl = "no-store";
            return;
        }
        var lastHeader = http.Request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(lastHeader))
        {
            lastHeader = http.Request.Query["lastEventId"].ToString();
        }
        long? last = long.TryParse(lastHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

        // Subscribed before the replay is read, so nothing falls between the two.
        var subscriber = stream.Subscribe(article.Id);
        List<LiveEvent> missed;
        try
        {
            missed = last is long since ? await LiveBroadcast.ReplayAsync(db, markup, article.Id, since, cancellationToken) : [];
        }
        catch
        {
            stream.Unsubscribe(subscriber);
            throw;
        }
        if (article.Coverage == Coverage.Ended && missed.Count == 0)
        {
            // Nothing more will come: 204 is what tells EventSource to stop reconnecting.
            stream.Unsubscribe(subscriber);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers.CacheControl = "no-store";
            return;
        }
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        // nginx would otherwise hold events back in its buffer.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            await http.Response.WriteAsync("retry: 3000\n\n", cancellationToken);
            var sent = last ?? 0;
            foreach (var replayed in missed)
            {
                await http.Response.WriteAsync(replayed.ToWire(), cancellationToken);
                sent = Math.Max(sent, replayed.Id);
            }
            if (article.Coverage == Coverage.Ended)
            {
                return;
            }
            await http.Response.Body.FlushAsync(cancellationToken);
            var events = subscriber.Events;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(Heartbeat);
                bool more;
                try
                {
                    more = await events.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": ping\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    continue;
                }
                if (!more)
                {
                    // Dropped (too slow, or the page was unpublished): the browser reconnects with its Last-Event-ID.
                    return;
                }
                while (events.TryRead(out var live))
                {
                    if (live.Id > sent || live.Name == "end")
                    {
                        await http.Response.WriteAsync(live.ToWire(), cancellationToken);
                        sent = Math.Max(sent, live.Id);
                    }
                }
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            stream.Unsubscribe(subscriber);
        }
    }

    /// <summary>
    /// GET /direct/{slug}/depuis/{id}: the entries posted after entry <paramref name="id"/>, newest
    /// first, as an HTML fragment, for clients that poll instead of streaming. Cacheable for two
    /// seconds by any cache, its address being its only key, so polling readers share answers.
    /// </summary>
    public static async Task<IResult> Since(string slug, int id, HttpContext http, KiosqueDb db, LiveEntries markup, CancellationToken cancellationToken)
    {
        var articleId = await db.Published().Where(a => a.Slug == slug && a.Coverage != Coverage.None).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (articleId is null)
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.NotFound();
        }
        var entries = await LiveEntries.Views(db.LiveEntries.AsNoTracking().Where(e => e.ArticleId == articleId && e.Id > id).OrderByDescending(e => e.Id).Take(PageSize)).ToListAsync(cancellationToken);
        var refs = await LiveEntries.ReferencesAsync(db, entries, cancellationToken);
        var html = new System.Text.StringBuilder();
        html.Append("<div class=\"live-since\" data-last-entry=\"").Append(entries.Count == 0 ? id : entries[0].Id).Append("\">\n");
        foreach (var entry in entries)
        {
            html.Append(markup.Render(entry, refs));
        }
        html.Append("</div>\n");
        http.Response.Headers.CacheControl = "public, max-age=2";
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>
    /// GET /direct/{slug}/atom.xml: the page's newest entries as an Atom feed (a deleted entry
    /// stays, saying so), cached and evicted with the page.
    /// </summary>
    public static async Task<IResult> Feed(string slug, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, TimeProvider clock, CancellationToken cancellationToken)
    {
        var article = await db.Published().Where(a => a.Slug == slug && a.Coverage != Coverage.None)
            .Select(a => new { a.Id, a.Slug, a.Headline, a.Standfirst, a.UpdatedAt, Section = new NavSection(a.Section.Slug, a.Section.Name) })
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var entries = await LiveEntries.Views(db.LiveEntries.AsNoTracking().Where(e => e.ArticleId == article.Id).OrderByDescending(e => e.Id).Take(FeedSize)).ToListAsync(cancellationToken);
        var refs = await LiveEntries.ReferencesAsync(db, entries, cancellationToken);
        http.CacheTags().Article(article.Id).Articles(refs.Articles.Count == 0 ? [] : entries.SelectMany(e => LiveEntries.Parse(e.Body).Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId)));
        foreach (var mediaId in refs.Media.Keys)
        {
            http.CacheTags().Media(mediaId);
        }
        var pageUrl = format.Absolute(http.Request, LivePath(article.Slug));
        var host = new Uri(pageUrl).Host;
        var feedEntries = entries.Select(e =>
        {
            var url = pageUrl + "#" + LiveEntries.Anchor(e.Id);
            string html;
            if (e.DeletedAt is DateTime deleted)
            {
                html = "<p>" + Html.Encode(text["Live.Deleted", format.Time(deleted)]) + "</p>"
                    + (string.IsNullOrWhiteSpace(e.DeletionNote) ? "" : "<p>" + Html.Encode(e.DeletionNote) + "</p>");
            }
            else
            {
                html = renderer.ToHtml(LiveEntries.Parse(e.Body), refs, new Uri(url))
                    + (string.IsNullOrWhiteSpace(e.CorrectionNote) ? "" : "<p>" + Html.Encode(text["Live.Correction", e.CorrectionNote]) + "</p>");
            }
            var title = e.DeletedAt is not null ? text["Live.Deleted", format.Time(e.DeletedAt.Value)].Value
                : string.IsNullOrWhiteSpace(e.Title) ? Excerpt(LiveEntries.Parse(e.Body)) : e.Title;
            var updated = new[] { e.PostedAt, e.EditedAt ?? e.PostedAt, e.DeletedAt ?? e.PostedAt }.Max();
            return new FeedEntry(e.Id, url, title, "", e.PostedAt, updated, e.PostedAt, article.Section, null,
                e.AuthorSlug is null ? [] : [new AuthorRef(e.AuthorSlug, e.AuthorName)], [], html,
                string.Create(CultureInfo.InvariantCulture, $"tag:{host},{e.PostedAt:yyyy-MM-dd}:live-entry:{e.Id}"));
        }).ToList();
        var document = new FeedDocument(article.Headline, article.Standfirst, pageUrl,
            format.Absolute(http.Request, FeedPaths.For(LivePath(article.Slug), FeedFormat.Atom)), format.Absolute(http.Request, ""),
            format.Culture.TwoLetterISOLanguageName, feedEntries.Count == 0 ? article.UpdatedAt : feedEntries.Max(e => e.UpdatedAt), null, feedEntries);
        return Results.Bytes(FeedWriters.Atom(document, format), FeedPaths.ContentType(FeedFormat.Atom) + "; charset=utf-8");
    }

    private const int FeedSize = 50;

    // Accented text stays readable, as in every other feed.
    private static readonly System.Text.Encodings.Web.HtmlEncoder Html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static string LivePath(string slug) => SiteFormat.LivePath(slug);

    private static string Excerpt(ArticleBody body)
    {
        var plain = BodyRenderer.ToPlainText(body).Trim();
        return plain.Length <= 120 ? plain : string.Concat(plain.AsSpan(0, 119).TrimEnd(), "…");
    }
}
