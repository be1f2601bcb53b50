using System.Globalization;
using System.Text;
using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Site;

/// <summary>What the reader asked for, as read from the query string (<c>q</c>, <c>rubrique</c>, <c>theme</c>, <c>auteur</c>, <c>du</c>, <c>au</c>, <c>tri</c>, <c>page</c>).</summary>
public sealed record SearchForm(string Query, string? Section, string? Tag, string? Author, string? From, string? To, SearchSort Sort, int Page)
{
    public bool HasFilters => Section is not null || Tag is not null || Author is not null || From is not null || To is not null;

    /// <summary>The address of this search with some values changed; empty values are left out.</summary>
    public string Url(int? page = null, bool withoutTag = false)
    {
        var parts = new List<KeyValuePair<string, string?>>
        {
            new("q", Query),
            new("rubrique", Section),
            new("theme", withoutTag ? null : Tag),
            new("auteur", Author),
            new("du", From),
            new("au", To),
            new("tri", Sort == SearchSort.Date ? "date" : null),
            new("page", (page ?? Page) > 1 ? (page ?? Page).ToString(CultureInfo.InvariantCulture) : null),
        };
        var query = new StringBuilder();
        foreach (var (key, value) in parts)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
        return SearchPage.Path + query;
    }
}

/// <summary>One result as a reader sees it: the teaser, and where the words matched.</summary>
public sealed record SearchResultCard(ArticleCard Card, string? Snippet);

public sealed record SearchPageView(
    SearchForm Form,
    IReadOnlyList<NavSection> Sections,
    IReadOnlyList<AuthorRef> Authors,
    string? TagName,
    string? Message,
    bool Searched,
    IReadOnlyList<SearchResultCard> Results,
    int Total,
    int PageCount);

/// <summary>Typed JSON for <c>/api/recherche</c>.</summary>
public sealed record SearchApiResponse(string Query, int Total, int Page, int PageCount, IReadOnlyList<SearchApiResult> Results);

public sealed record SearchApiResult(string Url, string Slug, string Kicker, string Headline, string Standfirst, string PublishedAt, SearchApiSection Section, IReadOnlyList<AuthorRef> Authors, string? Snippet);

public sealed record SearchApiSection(string Slug, string Name);

/// <summary>
/// GET /recherche (HTML) and GET /api/recherche (JSON): public search over published articles.
/// Hits come from the index, and the cards are then read through <c>db.Published()</c>, so a piece
/// unpublished a moment ago is not shown even before the index has caught up.
/// </summary>
public static class SearchPage
{
    public const string Path = "/recherche";

    private const int MaxSlugLength = 200;

    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, SearchIndex index, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, PageCacheSettings cacheSettings, CancellationToken cancellationToken)
    {
        if (!SitePages.TryReadPage(http.Request, out _))
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var (form, problem, request) = Read(http.Request, options.Value);
        var searched = problem is null && (form.Query.Length > 0 || form.HasFilters);
        SearchResults? results = null;
        var status = StatusCodes.Status200OK;
        if (problem is null && searched)
        {
            results = index.Search(request!);
            problem = ProblemKey(results);
            if (!results.Available)
            {
                status = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "60";
            }
            else if (results.Problem == UserQueryProblem.TooLong)
            {
                status = StatusCodes.Status400BadRequest;
            }
            else if (results.Total > 0 && form.Page > results.PageCount)
            {
                return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
            }
        }
        else if (problem is not null)
        {
            status = StatusCodes.Status400BadRequest;
        }

        var cards = results is null ? [] : await CardsAsync(db, results, cancellationToken);
        var sections = await db.NavSectionsAsync(cancellationToken);
        var authors = await db.Authors.AsNoTracking().OrderBy(a => a.Name).Select(a => new AuthorRef(a.Slug, a.Name)).ToListAsync(cancellationToken);
        var tagName = form.Tag is null ? null : await db.Tags.AsNoTracking().Where(t => t.Slug == form.Tag).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        var view = new SearchPageView(form, sections, authors, tagName ?? form.Tag, problem is null ? null : text[problem, UserQuery.MaxLength].Value, searched && problem is null, cards,
            results?.Total ?? 0, results?.PageCount ?? 1);

        var title = form.Query.Length > 0 ? text["Search.TitleFor", form.Query].Value : text["Search.Title"].Value;
        var meta = new PageMeta($"{title} — {options.Value.SiteName}", text["Search.Description", options.Value.SiteName], format.Absolute(http.Request, form.Url()))
        {
            // Result pages are endless and change all the time: not for search engines.
            NoIndex = true,
            PrevUrl = results is not null && form.Page > 1 ? format.Absolute(http.Request, form.Url(form.Page - 1)) : null,
            NextUrl = results is not null && form.Page < results.PageCount ? format.Absolute(http.Request, form.Url(form.Page + 1)) : null,
        };
        var chrome = new Chrome(meta, sections);
        await CacheForAsync(http, cacheSettings, status);
        return SitePages.Render<SearchView>(new { Chrome = chrome, Search = view }, status);
    }

    public static async Task<Results<Ok<SearchApiResponse>, ProblemHttpResult>> Api(HttpContext http, KiosqueDb db, SearchIndex index, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, PageCacheSettings cacheSettings, CancellationToken cancellationToken)
    {
        if (!SitePages.TryReadPage(http.Request, out _))
        {
            return TypedResults.Problem(text["Search.BadPage"], statusCode: StatusCodes.Status400BadRequest, title: text["Search.Invalid"]);
        }
        var (form, problem, request) = Read(http.Request, options.Value);
        if (problem is null && form.Query.Length == 0 && !form.HasFilters)
        {
            problem = "Search.Empty";
        }
        if (problem is not null)
        {
            return TypedResults.Problem(text[problem, UserQuery.MaxLength], statusCode: StatusCodes.Status400BadRequest, title: text["Search.Invalid"]);
        }
        var results = index.Search(request!);
        if (!results.Available)
        {
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(text["Search.Unavailable"], statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (results.Problem == UserQueryProblem.TooLong)
        {
            return TypedResults.Problem(text["Search.TooLong", UserQuery.MaxLength], statusCode: StatusCodes.Status400BadRequest, title: text["Search.Invalid"]);
        }
        var cards = await CardsAsync(db, results, cancellationToken);
        var items = cards.Select(c => new SearchApiResult(
            format.Absolute(http.Request, c.Card.Path), c.Card.Slug, c.Card.Kicker, c.Card.Headline, c.Card.Standfirst,
            format.Iso(c.Card.PublishedAt), new SearchApiSection(c.Card.SectionSlug, c.Card.SectionName), c.Card.Authors, c.Snippet)).ToList();
        await CacheForAsync(http, cacheSettings, StatusCodes.Status200OK);
        return TypedResults.Ok(new SearchApiResponse(form.Query, results.Total, results.Page, results.PageCount, items));
    }

    /// <summary>The cards of a page of hits, in the hits' order, for published articles only.</summary>
    /// <summary>
    /// Results change only when a piece is published, corrected or withdrawn, which pages also wait
    /// for: browsers and fronts may keep them as long as a page (<c>Kiosque:PageMaxAge</c>), one copy
    /// per content coding. A signed-in person's search stays theirs; an error is asked again.
    /// </summary>
    private static async ValueTask CacheForAsync(HttpContext http, PageCacheSettings settings, int status)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = await PageCacheSettings.IsPersonalAsync(http, settings) ? "private, no-store" : status == StatusCodes.Status200OK ? settings.PageCacheControl : "no-cache";
        headers.Vary = HeaderNames.AcceptEncoding;
    }

    private static async Task<List<SearchResultCard>> CardsAsync(KiosqueDb db, SearchResults results, CancellationToken cancellationToken)
    {
        if (results.Hits.Count == 0)
        {
            return [];
        }
        var ids = results.Hits.Select(h => h.Id).ToList();
        // Split: SQLite answers the bylines of a dozen ids at once, but not as a LEFT JOIN on a
        // derived table, which it builds for the whole archive first.
        var cards = await db.Published().Where(a => ids.Contains(a.Id)).ToCards().AsSplitQuery().ToDictionaryAsync(c => c.Id, cancellationToken);
        return results.Hits.Where(h => cards.ContainsKey(h.Id)).Select(h => new SearchResultCard(cards[h.Id], h.Snippet)).ToList();
    }

    private static string? ProblemKey(SearchResults results) => results switch
    {
        { Available: false } => "Search.Unavailable",
        { Problem: UserQueryProblem.TooLong } => "Search.TooLong",
        { Problem: UserQueryProblem.NoWords } => "Search.NoWords",
        _ => null,
    };

    /// <summary>Reads and checks the query string; a problem is a resource key for a clear message.</summary>
    private static (SearchForm Form, string? Problem, SearchRequest? Request) Read(HttpRequest http, KiosqueOptions options)
    {
        SitePages.TryReadPage(http, out var page);
        var query = UserQuery.Clean(First(http, "q"));
        var form = new SearchForm(query, Slug(http, "rubrique"), Slug(http, "theme"), Slug(http, "auteur"), Value(http, "du"), Value(http, "au"), SearchSort.Relevance, page);
        string? problem = null;
        switch (First(http, "tri"))
        {
            case null or "" or "pertinence":
                break;
            case "date":
                form = form with { Sort = SearchSort.Date };
                break;
            default:
                problem = "Search.BadSort";
                break;
        }
        var zone = options.TimeZoneInfo;
        var fromOk = TryDay(form.From, out var fromDay);
        var toOk = TryDay(form.To, out var toDay);
        if (!fromOk || !toOk)
        {
            problem ??= "Search.BadDate";
        }
        else if (fromDay is not null && toDay is not null && fromDay > toDay)
        {
            problem ??= "Search.BadRange";
        }
        if (problem is not null)
        {
            return (form, problem, null);
        }
        var request = new SearchRequest
        {
            Text = form.Query,
            Section = form.Section,
            Tag = form.Tag,
            Author = form.Author,
            From = fromDay is { } f ? Midnight(f, zone) : null,
            // The "to" day is included: the range ends at the next midnight.
            Until = toDay is { } t ? Midnight(t.AddDays(1), zone) : null,
            Sort = form.Sort,
            Page = page,
            PageSize = options.PageSize,
            IncludeUnpublished = false,
        };
        return (form, null, request);
    }

    private static string? First(HttpRequest http, string key)
    {
        var values = http.Query[key];
        return values.Count == 0 ? null : values[0];
    }

    private static string? Value(HttpRequest http, string key)
    {
        var value = UserQuery.Clean(First(http, key));
        return value.Length == 0 ? null : value;
    }

    /// <summary>A filter slug; an absurdly long one cannot match anything, so it is cut rather than echoed whole.</summary>
    private static string? Slug(HttpRequest http, string key)
    {
        var value = Value(http, key);
        return value is null ? null : value[..Math.Min(value.Length, MaxSlugLength)];
    }

    /// <summary>A yyyy-MM-dd day, what <c>input type=date</c> sends.</summary>
    private static bool TryDay(string? value, out DateOnly? day)
    {
        day = null;
        if (value is null)
        {
            return true;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed.Year is < 1900 or > 2999)
        {
            return false;
        }
        day = parsed;
        return true;
    }

    /// <summary>The UTC instant at which a day starts in the newsroom's zone.</summary>
    private static DateTime Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // Where a clock change skips midnight, the day starts an hour later.
        return TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(local) ? local.AddHours(1) : local, zone);
    }
}
