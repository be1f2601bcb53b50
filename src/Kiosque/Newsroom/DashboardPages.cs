using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>A line in a newsroom list of articles.</summary>
public sealed record ArticleRow(int Id, string Headline, string Slug, ArticleStatus Status, string Section, IReadOnlyList<string> Authors, DateTime UpdatedAt, DateTime? PublishedAt, DateTime? ScheduledAt);

public sealed record ArticleFilter(string Query, ArticleStatus? Status, int? SectionId, int? AuthorId, int Page);

public sealed record Choice(int Id, string Name);

public static class DashboardPages
{
    private const int PageSize = 50;

    public static IQueryable<ArticleRow> ToRows(this IQueryable<Article> articles) =>
        articles.Select(a => new ArticleRow(a.Id, a.Headline, a.Slug, a.Status, a.Section.Name,
            a.Authors.OrderBy(p => p.Position).Select(p => p.Author.Name).ToList(), a.UpdatedAt, a.PublishedAt, a.ScheduledAt));

    /// <summary>GET /newsroom: my drafts, waiting for review, scheduled, recently published.</summary>
    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var articles = db.Articles.AsNoTracking();
        var mine = await articles.Where(a => a.Status == ArticleStatus.Draft && a.CreatedById == staff.Id).OrderByDescending(a => a.UpdatedAt).Take(20).ToRows().ToListAsync(cancellationToken);
        var review = await articles.Where(a => a.Status == ArticleStatus.Review).OrderBy(a => a.UpdatedAt).Take(50).ToRows().ToListAsync(cancellationToken);
        var scheduled = await articles.Where(a => a.Status == ArticleStatus.Scheduled).OrderBy(a => a.ScheduledAt).Take(50).ToRows().ToListAsync(cancellationToken);
        var published = await articles.Where(a => a.Status == ArticleStatus.Published).OrderByDescending(a => a.PublishedAt).Take(10).ToRows().ToListAsync(cancellationToken);
        var chrome = new NewsroomChrome(text["Newsroom.Dashboard.Title"], staff, "dashboard", NewsroomPages.Notice(http));
        return NewsroomPages.Render<DashboardView>(new { Chrome = chrome, Mine = mine, Review = review, Scheduled = scheduled, Published = published });
    }

    /// <summary>The best index matches a newsroom search considers; a wider search is better refined by its filters.</summary>
    private const int IndexMatches = 500;

    /// <summary>GET /newsroom/articles?q=&amp;statut=&amp;rubrique=&amp;auteur=&amp;page=: every article, newest change first.</summary>
    public static async Task<IResult> List(HttpContext http, KiosqueDb db, SearchIndex search, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var q = query["q"].ToString().Trim();
        if (q.Length > 200)
        {
            q = q[..200];
        }
        ArticleStatus? status = Enum.TryParse<ArticleStatus>(query["statut"], ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
        int? sectionId = int.TryParse(query["rubrique"], out var sid) && sid > 0 ? sid : null;
        int? authorId = int.TryParse(query["auteur"], out var aid) && aid > 0 ? aid : null;
        var page = int.TryParse(query["page"], out var p) && p is > 0 and < 100_000 ? p : 1;

        var articles = db.Articles.AsNoTracking();
        if (q.Length > 0)
        {
            var lower = q.ToLowerInvariant();
            // The search index, drafts included (staff only), finds words anywhere (body, quotes,
            // sources) with French analysis; the plain match on headline, kicker and slug also
            // catches what the index has not taken in yet (a save of a second ago).
            var found = search.Search(new SearchRequest { Text = q, IncludeUnpublished = true, PageSize = IndexMatches });
            var ids = found.Hits.Select(h => h.Id).ToList();
            // Translated to SQL lower(): case-insensitive on both providers (ILIKE is PostgreSQL's only).
#pragma warning disable CA1304, CA1311, CA1862
            articles = articles.Where(a => ids.Contains(a.Id) || a.Headline.ToLower().Contains(lower) || a.Slug.Contains(lower) || a.Kicker.ToLower().Contains(lower));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (status is not null)
        {
            articles = articles.Where(a => a.Status == status);
        }
        if (sectionId is not null)
        {
            articles = articles.Where(a => a.SectionId == sectionId);
        }
        if (authorId is not null)
        {
            articles = articles.Where(a => a.Authors.Any(x => x.AuthorId == authorId));
        }
        var total = await articles.CountAsync(cancellationToken);
        var rows = await articles.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id).Skip((page - 1) * PageSize).Take(PageSize).ToRows().ToListAsync(cancellationToken);
        var sections = await db.Sections.AsNoTracking().OrderBy(x => x.Position).ThenBy(x => x.Name).Select(x => new Choice(x.Id, x.Name)).ToListAsync(cancellationToken);
        var authors = await db.Authors.AsNoTracking().OrderBy(x => x.Name).Select(x => new Choice(x.Id, x.Name)).ToListAsync(cancellationToken);
        var chrome = new NewsroomChrome(text["Newsroom.Articles.Title"], Staff.Of(http.User), "articles", NewsroomPages.Notice(http));
        return NewsroomPages.Render<ArticleListView>(new
        {
            Chrome = chrome,
            Filter = new ArticleFilter(q, status, sectionId, authorId, page),
            Rows = rows,
            Total = total,
            PageCount = Math.Max(1, (total + PageSize - 1) / PageSize),
            Sections = sections,
            Authors = authors,
        });
    }
}
