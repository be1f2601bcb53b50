using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>Which list is managed: sections (admins), tags and authors (editors); sections and tags that no article uses can be deleted.</summary>
public sealed record TaxonomyKind(string Key, string Path, bool HasDescription, bool HasPosition, bool AdminOnly, bool Deletable);

public sealed record TaxonomyItem(int Id, string Name, string Slug, string Description, int Position, int Articles);

public sealed record TaxonomyUse(string Name, string Slug, int Articles);

/// <summary>Sections, tags and authors: list, create, rename. A changed slug keeps the old public address as a redirect.</summary>
public static class TaxonomyPages
{
    public static readonly TaxonomyKind Sections = new("sections", "rubriques", HasDescription: true, HasPosition: true, AdminOnly: true, Deletable: true);
    public static readonly TaxonomyKind Tags = new("tags", "themes", HasDescription: false, HasPosition: false, AdminOnly: false, Deletable: true);
    public static readonly TaxonomyKind Authors = new("authors", "auteurs", HasDescription: true, HasPosition: false, AdminOnly: false, Deletable: false);

    public static Delegate List(TaxonomyKind kind) =>
        async (HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
            await RenderAsync(kind, http, db, text, null, StatusCodes.Status200OK, cancellationToken);

    public static Delegate Create(TaxonomyKind kind) =>
        async (HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
            await SaveAsync(kind, null, http, db, clock, text, cancellationToken);

    public static Delegate Update(TaxonomyKind kind) =>
        async (int id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
            await SaveAsync(kind, id, http, db, clock, text, cancellationToken);

    public static Delegate Delete(TaxonomyKind kind) =>
        async (int id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
            await DeleteAsync(kind, id, http, db, clock, text, cancellationToken);

    private static async Task<IResult> RenderAsync(TaxonomyKind kind, HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, string? error, int status, CancellationToken cancellationToken)
    {
        var items = kind.Key switch
        {
            "sections" => await db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name)
                .Select(s => new TaxonomyItem(s.Id, s.Name, s.Slug, s.Description, s.Position, db.Articles.Count(a => a.SectionId == s.Id))).ToListAsync(cancellationToken),
            "tags" => await db.Tags.AsNoTracking().OrderBy(t => t.Name)
                .Select(t => new TaxonomyItem(t.Id, t.Name, t.Slug, "", 0, db.ArticleTags.Count(a => a.TagId == t.Id))).ToListAsync(cancellationToken),
            _ => await db.Authors.AsNoTracking().OrderBy(a => a.Name)
                .Select(a => new TaxonomyItem(a.Id, a.Name, a.Slug, a.Bio, 0, db.ArticleAuthors.Count(x => x.AuthorId == a.Id))).ToListAsync(cancellationToken),
        };
        var chrome = new NewsroomChrome(text["Newsroom.Taxonomy." + kind.Key], Staff.Of(http.User), kind.Key, NewsroomPages.Notice(http), error);
        return NewsroomPages.Render<TaxonomyView>(new { Chrome = chrome, Kind = kind, Items = items }, status);
    }

    private static async Task<IResult> SaveAsync(TaxonomyKind kind, int? id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var name = form["name"].ToString().Trim();
        var slug = form["slug"].ToString().Trim();
        slug = slug.Length == 0 ? Slug.From(name) : slug;
        var description = form["description"].ToString().Trim();
        var position = int.TryParse(form["position"], out var p) ? Math.Clamp(p, 0, 10_000) : 0;
        var maxName = kind.Key == "authors" ? 200 : 120;
        if (name.Length is 0 || name.Length > maxName || slug.Length is 0 or > 120 || Slug.From(slug, 120) != slug || description.Length > (kind.Key == "authors" ? 2000 : 1000))
        {
            return await RenderAsync(kind, http, db, text, text["Newsroom.Taxonomy.Invalid"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        var taken = kind.Key switch
        {
            "sections" => await db.Sections.AnyAsync(s => s.Slug == slug && s.Id != id, cancellationToken),
            "tags" => await db.Tags.AnyAsync(t => t.Slug == slug && t.Id != id, cancellationToken),
            _ => await db.Authors.AnyAsync(a => a.Slug == slug && a.Id != id, cancellationToken),
        };
        if (taken)
        {
            return await RenderAsync(kind, http, db, text, text["Newsroom.Error.slug.taken"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        string? oldPath = null;
        string newPath;
        switch (kind.Key)
        {
            case "sections":
                var section = id is null ? db.Sections.Add(new Section { Slug = slug, Name = name }).Entity : await db.Sections.FindAsync([id.Value], cancellationToken);
                if (section is null)
                {
                    return NewsroomPages.NotFound(http);
                }
                oldPath = id is null || section.Slug == slug ? null : SiteFormat.SectionPath(section.Slug);
                (section.Name, section.Slug, section.Description, section.Position) = (name, slug, description, position);
                newPath = SiteFormat.SectionPath(slug);
                break;
            case "tags":
                var tag = id is null ? db.Tags.Add(new Tag { Slug = slug, Name = name }).Entity : await db.Tags.FindAsync([id.Value], cancellationToken);
                if (tag is null)
                {
                    return NewsroomPages.NotFound(http);
                }
                oldPath = id is null || tag.Slug == slug ? null : SiteFormat.TagPath(tag.Slug);
                (tag.Name, tag.Slug) = (name, slug);
                newPath = SiteFormat.TagPath(slug);
                break;
            default:
                var author = id is null ? db.Authors.Add(new Author { Slug = slug, Name = name }).Entity : await db.Authors.FindAsync([id.Value], cancellationToken);
                if (author is null)
                {
                    return NewsroomPages.NotFound(http);
                }
                oldPath = id is null || author.Slug == slug ? null : SiteFormat.AuthorPath(author.Slug);
                (author.Name, author.Slug, author.Bio) = (name, slug, description);
                newPath = SiteFormat.AuthorPath(slug);
                break;
        }
        if (oldPath is not null)
        {
            await OldAddresses.KeepAsync(db, oldPath, newPath, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }
        else
        {
            // The new address may be an old one given back: it must answer itself, not redirect.
            db.Redirects.RemoveRange(await db.Redirects.Where(r => r.FromPath == newPath).ToListAsync(cancellationToken));
        }
        Audit.Record(db, clock, Staff.Of(http.User), $"{kind.Key}.{(id is null ? "created" : "updated")}", name, slug);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/{kind.Path}?ok=taxonomy-saved");
    }

    /// <summary>
    /// Deletes a section or a tag that no article uses, drafts included (an article needs its
    /// section, and a tag dropped silently from a draft would be lost work). Its old addresses go
    /// too: they would only lead to a page that no longer exists.
    /// </summary>
    private static async Task<IResult> DeleteAsync(TaxonomyKind kind, int id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var found = kind.Key switch
        {
            "sections" => await db.Sections.Where(x => x.Id == id)
                .Select(x => new TaxonomyUse(x.Name, x.Slug, db.Articles.Count(a => a.SectionId == x.Id))).FirstOrDefaultAsync(cancellationToken),
            "tags" => await db.Tags.Where(x => x.Id == id)
                .Select(x => new TaxonomyUse(x.Name, x.Slug, db.ArticleTags.Count(a => a.TagId == x.Id))).FirstOrDefaultAsync(cancellationToken),
            _ => null,
        };
        if (found is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var (name, slug, uses) = found;
        if (uses > 0)
        {
            return await RenderAsync(kind, http, db, text, text["Newsroom.Taxonomy.InUse", name, uses], StatusCodes.Status400BadRequest, cancellationToken);
        }
        var path = kind.Key == "sections" ? SiteFormat.SectionPath(slug) : SiteFormat.TagPath(slug);
        if (kind.Key == "sections")
        {
            db.Sections.Remove(await db.Sections.FirstAsync(x => x.Id == id, cancellationToken));
        }
        else
        {
            db.Tags.Remove(await db.Tags.FirstAsync(x => x.Id == id, cancellationToken));
        }
        db.Redirects.RemoveRange(await db.Redirects.Where(r => r.ToPath == path).ToListAsync(cancellationToken));
        Audit.Record(db, clock, Staff.Of(http.User), $"{kind.Key}.deleted", name, slug);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // An article took it up between the count and the delete: the database refuses, and so do we.
            db.ChangeTracker.Clear();
            return await RenderAsync(kind, http, db, text, text["Newsroom.Taxonomy.InUse", name, 1], StatusCodes.Status400BadRequest, cancellationToken);
        }
        return Results.Redirect($"/newsroom/{kind.Path}?ok=taxonomy-deleted");
    }
}
