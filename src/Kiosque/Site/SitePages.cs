using System.Globalization;
using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>What every reader page handler shares: the navigation, page numbers, the 404 page.</summary>
public static class SitePages
{
    public static Task<List<NavSection>> NavSectionsAsync(this KiosqueDb db, CancellationToken cancellationToken) =>
        db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name)
            .Select(s => new NavSection(s.Slug, s.Name)).ToListAsync(cancellationToken);

    /// <summary>The navigation from memory (<see cref="SiteNav"/>), for page handlers.</summary>
    public static Task<IReadOnlyList<NavSection>> NavSectionsAsync(this KiosqueDb db, HttpContext http, CancellationToken cancellationToken) =>
        http.RequestServices.GetRequiredService<SiteNav>().GetAsync(db, cancellationToken);

    /// <summary>
    /// The highest page number a reader may ask for. Past it, the offset of the page
    /// ((page - 1) × a page size of at most 100) would not fit an int and would wrap to a negative
    /// skip; no list is that long, so such a page is refused like any page past the end.
    /// </summary>
    public const int MaxPage = int.MaxValue / 100;

    /// <summary>
    /// The <c>page</c> query value: absent means 1; anything but a number from 1 to <see cref="MaxPage"/>
    /// (0, -3, "abc", 2147483647, two values) is refused so the caller answers 404 instead of guessing.
    /// </summary>
    public static bool TryReadPage(HttpRequest request, out int page)
    {
        page = 1;
        var values = request.Query["page"];
        if (values.Count == 0)
        {
            return true;
        }
        if (values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out page)
            && page is >= 1 and <= MaxPage)
        {
            return true;
        }
        page = 1;
        return false;
    }

    /// <summary>
    /// A 301 to the one address of this page number when the request spelled it otherwise
    /// (<c>?page=01</c>, <c>?page=0002</c>, or <c>?page=1</c>, which is the list's own address); null
    /// when it is already canonical. Each spelling would otherwise be a page cache entry of its own,
    /// and a few thousand of them push the pages readers want out of memory. Other query keys
    /// (tracking parameters) are kept. The redirect itself is never stored (it carries a query).
    /// </summary>
    public static IResult? RedirectToCanonicalPage(HttpRequest request, int page)
    {
        var values = request.Query["page"];
        var canonical = page.ToString(CultureInfo.InvariantCulture);
        if (values.Count == 0 || (page > 1 && values[0] == canonical))
        {
            return null;
        }
        var others = request.Query.Where(q => q.Key != "page").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        var query = QueryString.Create(page > 1 ? others.Prepend(new KeyValuePair<string, string?>("page", canonical)) : others);
        return Results.Redirect(request.PathBase + request.Path + query, permanent: true);
    }

    public static RazorComponentResult Render<TComponent>(object parameters, int statusCode = StatusCodes.Status200OK)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TComponent>(parameters) { StatusCode = statusCode, PreventStreamingRendering = true };

    /// <summary>
    /// Whether an old address may be followed: an article moved back to draft (or unpublished)
    /// and renamed keeps its redirect, but the new address must not leak through the old one
    /// before readers may see it. The 301 is tagged with the article, so unpublishing evicts it.
    /// Sections, themes and authors have no unpublished state.
    /// </summary>
    private static async Task<bool> ReadersMaySeeAsync(HttpContext http, KiosqueDb db, string target, CancellationToken cancellationToken)
    {
        const string prefix = "/article/";
        if (!target.StartsWith(prefix, StringComparison.Ordinal))
        {
            return true;
        }
        var slug = target[prefix.Length..];
        var id = await db.Published().Where(a => a.Slug == slug).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is int visible)
        {
            http.CacheTags().Article(visible);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Unknown path: a 301 when the path is a known old address (a changed slug), else a 404 page
    /// that helps the reader find their way.
    /// </summary>
    public static async Task<IResult> NotFoundAsync(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, CancellationToken cancellationToken)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.Length <= 400)
        {
            var target = await db.Redirects.AsNoTracking().Where(r => r.FromPath == path).Select(r => new { r.Id, r.ToPath }).FirstOrDefaultAsync(cancellationToken);
            if (target is not null && await ReadersMaySeeAsync(http, db, target.ToPath, cancellationToken))
            {
                http.CacheTags().Redirect(target.Id);
                return Results.Redirect(target.ToPath + http.Request.QueryString, permanent: true);
            }
        }
        var latest = await db.Published().NewestFirst().Take(5).ToCards().ToListAsync(cancellationToken);
        var text = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        var meta = new PageMeta($"{text["NotFound.Title"]} — {options.Value.SiteName}", null, format.Absolute(http.Request, "/")) { NoIndex = true, NotFound = true };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken));
        return Render<NotFoundPage>(new { Chrome = chrome, Latest = latest }, StatusCodes.Status404NotFound);
    }
}
