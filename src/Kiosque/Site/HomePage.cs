using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
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
        if (SitePages.RedirectToCanonicalPage(http.Request, page) is { } canonical)
        {
            return canonical;
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
        var (lead, featured) = page == 1 ? await CuratedAsync(db, cancellationToken) : (null, []);
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken));
        // Curated pieces may be older than the latest list: tagged too, so a correction or an unpublication reaches the home page.
        http.CacheTags().Add(PageTags.Home).Articles(latest.Cards.Select(c => c.Id)).Articles(featured.Select(c => c.Id)).Articles(lead is null ? [] : [lead.Id]);
        return SitePages.Render<HomeView>(new { Chrome = chrome, Latest = latest, Lead = lead, Featured = featured });
    }

    /// <summary>
    /// The lead story and featured pieces the editors chose in the newsroom (Une), if any. Only
    /// published articles count: an unpublished choice simply drops out, and the newest story leads.
    /// </summary>
    private static async Task<(ArticleCard? Lead, IReadOnlyList<ArticleCard> Featured)> CuratedAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        var slots = await db.HomeSlots.AsNoTracking().OrderBy(s => s.Position).Select(s => new { s.Position, s.ArticleId }).ToListAsync(cancellationToken);
        if (slots.Count == 0)
        {
            return (null, []);
        }
        var ids = slots.Select(s => s.ArticleId).ToList();
        var cards = await db.Published().Where(a => ids.Contains(a.Id)).ToCards().ToListAsync(cancellationToken);
        var lead = slots.Where(s => s.Position == 0).Select(s => cards.FirstOrDefault(c => c.Id == s.ArticleId)).FirstOrDefault();
        var featured = slots.Where(s => s.Position > 0).Select(s => cards.FirstOrDefault(c => c.Id == s.ArticleId)).OfType<ArticleCard>().ToList();
        return (lead, featured);
    }
}
