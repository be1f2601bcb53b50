using System.Text.Json;
using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Search;
using Kiosque.Site;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Api;

/// <summary>
/// The public, read-only content API under <c>/api/v1</c> (docs/api.md). Like the reader site, it
/// reads articles only through <c>db.Published()</c>, and a section, tag or author is listed only
/// for what published articles show of it. Lists and articles go through the page cache with the
/// same tags as the pages that show the same content, so a change evicts them alike.
/// </summary>
public static class ContentApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";

    /// <summary>The OpenAPI document: the /api/v1 endpoints only, under the API's own title.</summary>
    public static void Describe(OpenApiOptions options)
    {
        options.ShouldInclude = endpoint => endpoint.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Kiosque content API";
            document.Info.Version = "v1";
            document.Info.Description = "Public, read-only access to what the site publishes: articles, sections, tags, authors, search and a feed of every public change. See docs/api.md.";
            return Task.CompletedTask;
        });
    }

    /// <summary>The query keys of <c>/articles</c>, in the order links are written.</summary>
    public static readonly string[] ArticleKeys = ["section", "tag", "author", "since", "include", "limit", "page"];

    /// <summary>The query keys of <c>/search</c>, in the order links are written.</summary>
    public static readonly string[] SearchKeys = ["q", "section", "tag", "author", "include", "limit", "page"];

    private static readonly string[] Includable = ["authors", "tags", "pictures"];

    /// <summary>GET /api/v1/articles: published articles, newest first.</summary>
    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiArticleSummary>>>, ApiBadRequest, ApiNotFound>> Articles(
        HttpContext http, KiosqueDb db, SiteFormat format,
        int? page, int? limit, string? section, string? tag, string? author, DateTimeOffset? since, string? include, CancellationToken cancellationToken)
    {
        if ((ReadInclude(include, out var includes) ?? ApiPaging.Check(page, limit)) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var tags = http.CacheTags();
        var articles = db.Published();
        var filtered = false;
        if (section is not null)
        {
            var id = await db.Sections.AsNoTracking().Where(s => s.Slug == section).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return ApiProblems.NotFound(http, $"There is no section '{section}'.");
            }
            articles = articles.Where(a => a.SectionId == id);
            tags.Section(id.Value);
            filtered = true;
        }
        if (tag is not null)
        {
            var id = await db.Tags.AsNoTracking().Where(t => t.Slug == tag).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return ApiProblems.NotFound(http, $"There is no tag '{tag}'.");
            }
            articles = articles.Where(a => a.Tags.Any(t => t.TagId == id));
            tags.Tag(id.Value);
            filtered = true;
        }
        if (author is not null)
        {
            var id = await db.Authors.AsNoTracking().Where(a => a.Slug == author).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return ApiProblems.NotFound(http, $"There is no author '{author}'.");
            }
            articles = articles.Where(a => a.Authors.Any(p => p.AuthorId == id));
            tags.Author(id.Value);
            filtered = true;
        }
        if (since is { } from)
        {
            var utc = from.UtcDateTime;
            articles = articles.Where(a => a.PublishedAt >= utc || a.UpdatedAt >= utc);
            // Any article's update may bring it into the window, not only a change of the lists it is in.
            tags.Add(PageTags.Archive);
        }
        if (!filtered)
        {
            tags.Add(PageTags.Home);
        }

        var size = limit ?? ApiPaging.DefaultLimit;
        var total = await articles.CountAsync(cancellationToken);
        var pagination = Pagination(page ?? 1, size, total);
        if (pagination is null)
        {
            return ApiProblems.NotFound(http, "This page is past the last one.");
        }
        var summaries = await articles.NewestFirst().Skip((pagination.Page - 1) * size).Take(size).ToSummariesAsync(http, format, cancellationToken);
        tags.Articles(summaries.Select(s => s.Id));
        var included = await IncludedAsync(http, db, format, includes, summaries, cancellationToken);
        var links = ApiPaging.Links(http, format, pagination, ArticleKeys);
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiArticleSummary>>(summaries, new ApiMeta(pagination), links, included));
    }

    /// <summary>GET /api/v1/articles/{slug}: one published article, with its blocks and their HTML.</summary>
    public static async Task<Results<Ok<ApiEnvelope<ApiArticle>>, ApiNotFound>> Article(
        string slug, HttpContext http, KiosqueDb db, SiteFormat format, BodyRenderer renderer, CancellationToken cancellationToken)
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
                a.HeroMediaId,
                Section = new { a.Section.Id, a.Section.Slug, a.Section.Name, a.Section.Description },
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => p.AuthorId).ToList(),
                Tags = a.Tags.OrderBy(t => t.Tag.Name).Select(t => new { t.Tag.Id, t.Tag.Slug, t.Tag.Name }).ToList(),
                Corrections = a.Corrections.OrderBy(c => c.At).Select(c => new { c.At, c.Text }).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return ApiProblems.NotFound(http, $"There is no published article '{slug}'.");
        }
        string Absolute(string path) => format.Absolute(http.Request, path);
        var url = Absolute(SiteFormat.ArticlePath(article.Slug));
        var parsed = ArticleBody.Parse(article.Body);
        var refs = await ArticlePage.LoadReferencesAsync(db, parsed, cancellationToken);
        // A read-also block whose target is not public is left out, as the page leaves it out.
        var body = parsed with { Blocks = parsed.Blocks.Where(b => b is not ReadAlsoBlock r || refs.Articles.ContainsKey(r.ArticleId)).ToList() };
        var authors = await AuthorsAsync(db, article.Authors, Absolute, cancellationToken);
        var pictures = refs.Media.Select(m => ApiPicture.From(m.Key, m.Value, Absolute)).ToList();

        var tags = http.CacheTags().Article(article.Id).Section(article.Section.Id)
            .Articles(body.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId))
            .Media(article.HeroMediaId ?? 0);
        foreach (var id in refs.Media.Keys)
        {
            tags.Media(id);
        }
        foreach (var t in article.Tags)
        {
            tags.Tag(t.Id);
        }
        foreach (var a in authors)
        {
            tags.Author(a.Id);
        }

        var view = new ApiArticle(
            article.Id, article.Slug, url, article.Kicker, article.Headline, article.Standfirst,
            Utc(article.PublishedAt), ArticleDates.Updated(article.PublishedAt, article.UpdatedAt) is { } updated ? Utc(updated) : null,
            new ApiSection(article.Section.Id, article.Section.Slug, article.Section.Name, article.Section.Description, Absolute(SiteFormat.SectionPath(article.Section.Slug))),
            authors,
            article.Tags.Select(t => new ApiTag(t.Id, t.Slug, t.Name, Absolute(SiteFormat.TagPath(t.Slug)))).ToList(),
            article.Hero is null ? null : ApiPicture.From(article.HeroMediaId!.Value, article.Hero, Absolute),
            pictures,
            JsonSerializer.SerializeToElement(body, ArticleBody.Json),
            renderer.ToHtml(body, refs, new Uri(url)),
            article.Corrections.Select(c => new ApiCorrection(Utc(c.At), c.Text)).ToList());
        return TypedResults.Ok(new ApiEnvelope<ApiArticle>(view, new ApiMeta(), new ApiLinks(Absolute(http.Request.Path))));
    }

    /// <summary>GET /api/v1/sections: every section, in the navigation's order (the site shows them all).</summary>
    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiSection>>>, ApiBadRequest, ApiNotFound>> Sections(
        HttpContext http, KiosqueDb db, SiteFormat format, int? page, int? limit, CancellationToken cancellationToken)
    {
        if (ApiPaging.Check(page, limit) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var size = limit ?? ApiPaging.DefaultLimit;
        var pagination = Pagination(page ?? 1, size, await db.Sections.CountAsync(cancellationToken));
        if (pagination is null)
        {
            return ApiProblems.NotFound(http, "This page is past the last one.");
        }
        var rows = await db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Id).Skip((pagination.Page - 1) * size).Take(size)
            .Select(s => new { s.Id, s.Slug, s.Name, s.Description }).ToListAsync(cancellationToken);
        // Every page carries the "site" tag, which a section change evicts.
        var data = rows.Select(s => new ApiSection(s.Id, s.Slug, s.Name, s.Description, format.Absolute(http.Request, SiteFormat.SectionPath(s.Slug)))).ToList();
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiSection>>(data, new ApiMeta(pagination), ApiPaging.Links(http, format, pagination, ApiPaging.PageKeys)));
    }

    /// <summary>GET /api/v1/tags: the tags at least one published article carries, by name.</summary>
    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiTag>>>, ApiBadRequest, ApiNotFound>> Tags(
        HttpContext http, KiosqueDb db, SiteFormat format, int? page, int? limit, CancellationToken cancellationToken)
    {
        if (ApiPaging.Check(page, limit) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var published = db.Published();
        var shown = db.Tags.AsNoTracking().Where(t => published.Any(a => a.Tags.Any(x => x.TagId == t.Id)));
        var size = limit ?? ApiPaging.DefaultLimit;
        var pagination = Pagination(page ?? 1, size, await shown.CountAsync(cancellationToken));
        if (pagination is null)
        {
            return ApiProblems.NotFound(http, "This page is past the last one.");
        }
        var rows = await shown.OrderBy(t => t.Name).ThenBy(t => t.Id).Skip((pagination.Page - 1) * size).Take(size)
            .Select(t => new { t.Id, t.Slug, t.Name }).ToListAsync(cancellationToken);
        // A tag enters or leaves the list with an article's memberships (home), and each shown tag's name may change.
        var tags = http.CacheTags().Add(PageTags.Home);
        foreach (var row in rows)
        {
            tags.Tag(row.Id);
        }
        var data = rows.Select(t => new ApiTag(t.Id, t.Slug, t.Name, format.Absolute(http.Request, SiteFormat.TagPath(t.Slug)))).ToList();
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiTag>>(data, new ApiMeta(pagination), ApiPaging.Links(http, format, pagination, ApiPaging.PageKeys)));
    }

    /// <summary>GET /api/v1/authors: the authors of at least one published article, by name.</summary>
    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiAuthor>>>, ApiBadRequest, ApiNotFound>> Authors(
        HttpContext http, KiosqueDb db, SiteFormat format, int? page, int? limit, CancellationToken cancellationToken)
    {
        if (ApiPaging.Check(page, limit) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var published = db.Published();
        var shown = db.Authors.AsNoTracking().Where(w => published.Any(a => a.Authors.Any(p => p.AuthorId == w.Id)));
        var size = limit ?? ApiPaging.DefaultLimit;
        var pagination = Pagination(page ?? 1, size, await shown.CountAsync(cancellationToken));
        if (pagination is null)
        {
            return ApiProblems.NotFound(http, "This page is past the last one.");
        }
        var ids = await shown.OrderBy(a => a.Name).ThenBy(a => a.Id).Skip((pagination.Page - 1) * size).Take(size).Select(a => a.Id).ToListAsync(cancellationToken);
        http.CacheTags().Add(PageTags.Home);
        var data = await AuthorsAsync(db, ids, path => format.Absolute(http.Request, path), cancellationToken);
        foreach (var author in data)
        {
            http.CacheTags().Author(author.Id).Media(author.Photo?.Id ?? 0);
        }
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiAuthor>>(data, new ApiMeta(pagination), ApiPaging.Links(http, format, pagination, ApiPaging.PageKeys)));
    }

    /// <summary>
    /// GET /api/v1/search?q=: the site's search (Search/) over published articles, most relevant
    /// first. Hits come from the index and are read back through <c>db.Published()</c>, so a piece
    /// unpublished a moment ago is not returned even before the index has caught up.
    /// </summary>
    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiSearchHit>>>, ApiBadRequest, ApiNotFound, ApiUnavailable>> Search(
        HttpContext http, KiosqueDb db, SiteFormat format, SearchIndex index, PageCacheSettings cacheSettings,
        string? q, int? page, int? limit, string? section, string? tag, string? author, string? include, CancellationToken cancellationToken)
    {
        if ((ReadInclude(include, out var includes) ?? ApiPaging.Check(page, limit)) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var text = UserQuery.Clean(q);
        if (text.Length == 0)
        {
            return ApiProblems.BadRequest(http, "q is required: the words to search for.");
        }
        var size = limit ?? ApiPaging.DefaultLimit;
        var results = index.Search(new SearchRequest
        {
            Text = text,
            Section = section,
            Tag = tag,
            Author = author,
            Page = page ?? 1,
            PageSize = size,
            IncludeUnpublished = false,
        });
        if (!results.Available)
        {
            http.Response.Headers.RetryAfter = "60";
            return ApiProblems.Unavailable(http, "The search index is being built; try again in a minute.");
        }
        switch (results.Problem)
        {
            case UserQueryProblem.TooLong:
                return ApiProblems.BadRequest(http, $"q is longer than {UserQuery.MaxLength} characters.");
            case UserQueryProblem.NoWords:
                return ApiProblems.BadRequest(http, "q has no word to search for.");
        }
        var pagination = Pagination(page ?? 1, size, results.Total);
        if (pagination is null)
        {
            return ApiProblems.NotFound(http, "This page is past the last one.");
        }
        var ids = results.Hits.Select(h => h.Id).ToList();
        var found = (await db.Published().Where(a => ids.Contains(a.Id)).ToSummariesAsync(http, format, cancellationToken)).ToDictionary(s => s.Id);
        var hits = results.Hits.Where(h => found.ContainsKey(h.Id)).Select(h => new ApiSearchHit(found[h.Id], h.Snippet)).ToList();
        var included = await IncludedAsync(http, db, format, includes, hits.Select(h => h.Article).ToList(), cancellationToken);
        // Results change only when a piece is published, corrected or withdrawn: kept as long as a page.
        http.Response.Headers.CacheControl = cacheSettings.PageCacheControl;
        var links = ApiPaging.Links(http, format, pagination, SearchKeys);
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiSearchHit>>(hits, new ApiMeta(pagination), links, included));
    }

    /// <summary>The pages of a list; null when <paramref name="page"/> is past the last one (page 1 of an empty list exists).</summary>
    private static ApiPagination? Pagination(int page, int limit, int total)
    {
        var pages = Math.Max(1, (total + limit - 1) / limit);
        return page > pages ? null : new ApiPagination(page, limit, pages, total);
    }

    private static string? ReadInclude(string? include, out HashSet<string> includes)
    {
        includes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in (include ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Includable.Contains(part))
            {
                return $"include takes a comma-separated list of {string.Join(", ", Includable)}.";
            }
            includes.Add(part);
        }
        return null;
    }

    internal static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static async Task<List<ApiArticleSummary>> ToSummariesAsync(this IQueryable<Article> articles, HttpContext http, SiteFormat format, CancellationToken cancellationToken)
    {
        var rows = await articles.AsSplitQuery().Select(a => new
        {
            a.Id,
            a.Slug,
            a.Kicker,
            a.Headline,
            a.Standfirst,
            PublishedAt = a.PublishedAt!.Value,
            a.UpdatedAt,
            a.SectionId,
            SectionSlug = a.Section.Slug,
            a.HeroMediaId,
            Authors = a.Authors.OrderBy(p => p.Position).Select(p => new ApiRef(p.AuthorId, p.Author.Slug)).ToList(),
            Tags = a.Tags.OrderBy(t => t.Tag.Name).Select(t => new ApiRef(t.TagId, t.Tag.Slug)).ToList(),
        }).ToListAsync(cancellationToken);
        return rows.Select(a => new ApiArticleSummary(
            a.Id, a.Slug, format.Absolute(http.Request, SiteFormat.ArticlePath(a.Slug)), a.Kicker, a.Headline, a.Standfirst,
            Utc(a.PublishedAt), ArticleDates.Updated(a.PublishedAt, a.UpdatedAt) is { } updated ? Utc(updated) : null,
            new ApiRef(a.SectionId, a.SectionSlug), a.Authors, a.Tags, a.HeroMediaId)).ToList();
    }

    /// <summary>The authors of <paramref name="ids"/>, in that order, with their photos.</summary>
    private static async Task<List<ApiAuthor>> AuthorsAsync(KiosqueDb db, List<int> ids, Func<string, string> absolute, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await db.Authors.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                a.Slug,
                a.Name,
                a.Bio,
                a.PhotoMediaId,
                Photo = a.Photo == null ? null : new MediaRef(a.Photo.FileName, a.Photo.Width, a.Photo.Height, a.Photo.Alt, a.Photo.Caption, a.Photo.Credit, a.Photo.RenditionsPath, a.Photo.CropsPath),
            })
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).Select(a => new ApiAuthor(a.Id, a.Slug, a.Name, a.Bio, absolute(SiteFormat.AuthorPath(a.Slug)),
            a.Photo is null ? null : ApiPicture.From(a.PhotoMediaId!.Value, a.Photo, absolute))).ToList();
    }

    /// <summary>What <c>include</c> asked for, each record once, tagged so a change to it evicts the answer.</summary>
    private static async Task<ApiIncluded?> IncludedAsync(HttpContext http, KiosqueDb db, SiteFormat format, HashSet<string> includes, IReadOnlyList<ApiArticleSummary> articles, CancellationToken cancellationToken)
    {
        if (includes.Count == 0)
        {
            return null;
        }
        string Absolute(string path) => format.Absolute(http.Request, path);
        var cacheTags = http.CacheTags();
        List<ApiAuthor>? authors = null;
        List<ApiTag>? tags = null;
        List<ApiPicture>? pictures = null;
        if (includes.Contains("authors"))
        {
            authors = await AuthorsAsync(db, articles.SelectMany(a => a.Authors).Select(a => a.Id).Distinct().ToList(), Absolute, cancellationToken);
            foreach (var author in authors)
            {
                cacheTags.Author(author.Id).Media(author.Photo?.Id ?? 0);
            }
        }
        if (includes.Contains("tags"))
        {
            var ids = articles.SelectMany(a => a.Tags).Select(t => t.Id).Distinct().ToList();
            tags = (await db.Tags.AsNoTracking().Where(t => ids.Contains(t.Id)).OrderBy(t => t.Name).Select(t => new { t.Id, t.Slug, t.Name }).ToListAsync(cancellationToken))
                .Select(t => new ApiTag(t.Id, t.Slug, t.Name, Absolute(SiteFormat.TagPath(t.Slug)))).ToList();
            foreach (var tag in tags)
            {
                cacheTags.Tag(tag.Id);
            }
        }
        if (includes.Contains("pictures"))
        {
            var ids = articles.Where(a => a.HeroPictureId is not null).Select(a => a.HeroPictureId!.Value).Distinct().ToList();
            var media = await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.Id, Ref = new MediaRef(m.FileName, m.Width, m.Height, m.Alt, m.Caption, m.Credit, m.RenditionsPath, m.CropsPath) })
                .ToListAsync(cancellationToken);
            pictures = media.OrderBy(m => m.Id).Select(m => ApiPicture.From(m.Id, m.Ref, Absolute)).ToList();
            foreach (var id in ids)
            {
                cacheTags.Media(id);
            }
        }
        return new ApiIncluded(authors, tags, pictures);
    }
}
