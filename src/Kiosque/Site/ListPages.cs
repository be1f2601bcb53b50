using Kiosque.Caching;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Feeds;
using Kiosque.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>What a list page shows above its articles.</summary>
public sealed record ListHeader(string Kind, string Title, string? Description, MediaRef? Photo = null)
{
    /// <summary>Open Graph type: an author page is a profile.</summary>
    public string OgType { get; init; } = "website";

    /// <summary>The meta description when the list has no text of its own (tags have none).</summary>
    public string? FallbackDescription { get; init; }
}

/// <summary>Section (rubrique), tag (thème) and author pages: a header, then the published articles, newest first, paginated.</summary>
public static class ListPages
{
    public static async Task<IResult> Section(string slug, HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var section = await db.Sections.AsNoTracking().Where(s => s.Slug == slug)
            .Select(s => new { s.Id, s.Name, s.Description }).FirstOrDefaultAsync(cancellationToken);
        if (section is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var header = new ListHeader(text["List.Section"], section.Name, section.Description)
        {
            FallbackDescription = text["Feed.SectionDescription", section.Name, options.Value.SiteName],
        };
        http.CacheTags().Section(section.Id);
        return await RenderAsync(db.Published().Where(a => a.SectionId == section.Id), SiteFormat.SectionPath(slug), header, slug, http, db, format, options, text, cancellationToken);
    }

    public static async Task<IResult> Tag(string slug, HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var tag = await db.Tags.AsNoTracking().Where(t => t.Slug == slug).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
        if (tag is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var header = new ListHeader(text["List.Tag"], tag.Name, null)
        {
            FallbackDescription = text["Feed.TagDescription", tag.Name, options.Value.SiteName],
        };
        http.CacheTags().Tag(tag.Id);
        return await RenderAsync(db.Published().Where(a => a.Tags.Any(t => t.TagId == tag.Id)), SiteFormat.TagPath(slug), header, null, http, db, format, options, text, cancellationToken);
    }

    public static async Task<IResult> Author(string slug, HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var author = await db.Authors.AsNoTracking().Where(a => a.Slug == slug)
            .Select(a => new
            {
                a.Id,
                a.Name,
                a.Bio,
                a.PhotoMediaId,
                Photo = a.Photo == null ? null : new MediaRef(a.Photo.FileName, a.Photo.Width, a.Photo.Height, a.Photo.Alt, a.Photo.Caption, a.Photo.Credit, a.Photo.RenditionsPath, a.Photo.CropsPath),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (author is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var header = new ListHeader(text["List.Author"], author.Name, author.Bio, author.Photo)
        {
            OgType = "profile",
            FallbackDescription = text["Feed.AuthorDescription", author.Name, options.Value.SiteName],
        };
        http.CacheTags().Author(author.Id).Media(author.PhotoMediaId ?? 0);
        return await RenderAsync(db.Published().Where(a => a.Authors.Any(p => p.AuthorId == author.Id)), SiteFormat.AuthorPath(slug), header, null, http, db, format, options, text, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(IQueryable<Article> articles, string path, ListHeader header, string? currentSection, HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (!SitePages.TryReadPage(http.Request, out var page))
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        if (SitePages.RedirectToCanonicalPage(http.Request, page) is { } canonical)
        {
            return canonical;
        }
        var list = await articles.PageAsync(page, options.Value.PageSize, cancellationToken);
        if (list is null)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var title = page == 1 ? $"{header.Title} — {options.Value.SiteName}" : $"{header.Title} ({page}/{list.PageCount}) — {options.Value.SiteName}";
        var origin = format.Absolute(http.Request, "");
        var url = format.Absolute(http.Request, SiteFormat.WithPage(path, page));
        // The whole portrait (the JPEG made at upload) with that file's own size; a 16:9 crop
        // could cut the face.
        var photo = header.Photo is null ? null : Picture.Source(header.Photo);
        var meta = new PageMeta(title, string.IsNullOrWhiteSpace(header.Description) ? header.FallbackDescription : header.Description, url)
        {
            OgType = header.OgType,
            ImageUrl = photo is null ? null : origin + photo.Url,
            ImageWidth = photo?.Width,
            ImageHeight = photo?.Height,
            ImageAlt = header.Photo?.Alt,
            Breadcrumbs = [new(options.Value.SiteName, origin + "/"), new(header.Title, url)],
            Feeds = FeedLinks.For(header.Title, path, origin, text),
            PrevUrl = page > 1 ? format.Absolute(http.Request, SiteFormat.WithPage(path, page - 1)) : null,
            NextUrl = page < list.PageCount ? format.Absolute(http.Request, SiteFormat.WithPage(path, page + 1)) : null,
        };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken), currentSection);
        http.CacheTags().Articles(list.Cards.Select(c => c.Id));
        return SitePages.Render<ListView>(new { Chrome = chrome, Header = header, List = list, BasePath = path });
    }
}
