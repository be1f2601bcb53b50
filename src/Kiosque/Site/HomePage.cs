using Kiosque.Caching;
using Kiosque.Data;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

public static class HomePage
{
    /// <summary>GET / — the lead story and the latest pieces, newest first; <c>?page=N</c> goes back in time.</summary>
    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (!SitePages.TryReadPage(http.Request, out var page))
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var latest = await db.Published().PageAsync(page, options.Value.PageSize, cancellationToken);
        if (latest is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var title = page == 1 ? $"{options.Value.SiteName} — {text["Tagline"]}" : $"{options.Value.SiteName} — {text["Pager.Position", page, latest.PageCount]}";
        var origin = format.Absolute(http.Request, "");
        var meta = new PageMeta(title, text["Tagline"], format.Absolute(http.Request, SiteFormat.WithPage("/", page)))
        {
            JsonLd = StructuredData.WebSite(origin, options.Value.SiteName, text["Tagline"], options.Value.Culture),
            PrevUrl = page > 1 ? format.Absolute(http.Request, SiteFormat.WithPage("/", page - 1)) : null,
            NextUrl = page < latest.PageCount ? format.Absolute(http.Request, SiteFormat.WithPage("/", page + 1)) : null,
        };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken));
        http.CacheTags().Add(PageTags.Home).Articles(latest.Cards.Select(c => c.Id));
        return SitePages.Render<HomeView>(new { Chrome = chrome, Latest = latest });
    }
}
