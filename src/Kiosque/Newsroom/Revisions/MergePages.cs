using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>One field of a merge: the current text, the refused one, their diff, and which to keep by default.</summary>
public sealed record MergeField(string Key, string Label, string Theirs, string Mine, string DiffHtml, bool KeepMine);

/// <summary>
/// Merging a refused save (kept as a conflict revision) with the current version, field by field:
/// fields only one side changed are taken from that side; the journalist decides the rest.
/// </summary>
public static class MergePages
{
    /// <summary>GET /newsroom/articles/{id}/fusion/{revisionId}</summary>
    public static async Task<IResult> Get(int id, long revisionId, HttpContext http, KiosqueDb db, ArticleEditor editor, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var article = await editor.LoadAsync(id, cancellationToken);
        var refused = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == id && r.Kind == ArticleEditor.ConflictKind, cancellationToken);
        if (article is null || refused is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var theirs = RevisionSnapshot.Of(article);
        var mine = refused.Read();
        // The version both sides started from, when still known: it tells who changed what.
        var start = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == id && r.Version == refused.Version && r.Kind != ArticleEditor.ConflictKind)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var fields = await RevisionPages.FieldsAsync(db, theirs, mine, text, cancellationToken);
        var baseFields = start is null ? null : (await RevisionPages.FieldsAsync(db, start.Read(), start.Read(), text, cancellationToken)).ToDictionary(f => f.Key, f => f.Before);
        var merge = fields.Where(f => f.Before != f.After).Select(f =>
        {
            // Keep mine unless only they changed this field since the common start.
            var keepMine = baseFields is null || baseFields[f.Key] != f.After;
            return new MergeField(f.Key, f.Label, f.Before, f.After, RevisionPages.Field(f.Label, f.Before, f.After).Html, keepMine);
        }).ToList();
        var chrome = new NewsroomChrome(text["Newsroom.Merge.Title"], Staff.Of(http.User), "articles", NewsroomPages.Notice(http));
        return NewsroomPages.Render<MergeView>(new { Chrome = chrome, ArticleId = id, RevisionId = revisionId, Version = article.Version, RefusedBy = refused.UserName, Fields = merge });
    }

    /// <summary>POST /newsroom/articles/{id}/fusion/{revisionId}: saves the chosen mix as a new version.</summary>
    public static async Task<IResult> Post(int id, long revisionId, HttpContext http, KiosqueDb db, ArticleEditor editor, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var article = await editor.LoadAsync(id, cancellationToken);
        var refused = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == id && r.Kind == ArticleEditor.ConflictKind, cancellationToken);
        if (article is null || refused is null)
        {
            return NewsroomPages.NotFound(http);
        }
        if (!ArticleWorkflow.CanEdit(staff, article))
        {
            return NewsroomPages.Forbidden(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var theirs = RevisionSnapshot.Of(article);
        var mine = refused.Read();
        bool Mine(string key) => form[$"keep-{key}"].ToString() == "mine";
        var merged = new RevisionSnapshot(
            Mine("slug") ? mine.Slug : theirs.Slug,
            Mine("kicker") ? mine.Kicker : theirs.Kicker,
            Mine("headline") ? mine.Headline : theirs.Headline,
            Mine("standfirst") ? mine.Standfirst : theirs.Standfirst,
            Mine("body") ? mine.Body : theirs.Body,
            Mine("section") ? mine.SectionId : theirs.SectionId,
            Mine("hero") ? mine.HeroMediaId : theirs.HeroMediaId,
            Mine("seoTitle") ? mine.SeoTitle : theirs.SeoTitle,
            Mine("seoDescription") ? mine.SeoDescription : theirs.SeoDescription,
            Mine("authors") ? mine.AuthorIds : theirs.AuthorIds,
            Mine("tags") ? mine.TagIds : theirs.TagIds);
        var version = int.TryParse(form["version"], out var v) ? v : -1;
        var input = new ArticleInput(version, merged.Kicker, merged.Headline, merged.Standfirst, merged.Slug, merged.SectionId, merged.HeroMediaId,
            merged.AuthorIds, merged.TagIds, merged.SeoTitle, merged.SeoDescription, EditorJsBody.ToEditorJs(ArticleBody.Parse(merged.Body)).ToJsonString());
        var outcome = await editor.SaveAsync(article, input, staff, "merge", cancellationToken);
        if (outcome.Conflict is not null)
        {
            // Yet another save came in while merging: merge again against it.
            return Results.Redirect($"/newsroom/articles/{id}/fusion/{outcome.Conflict.MergeRevisionId ?? revisionId}?ok=merge-again");
        }
        if (!outcome.Saved)
        {
            return NewsroomPages.Message(http, text["Newsroom.Merge.Title"], EditorPages.Describe(outcome.Errors, text), StatusCodes.Status400BadRequest);
        }
        // The conflict copy has served: merged, it leaves the list of copies to merge.
        if (await db.Revisions.FirstOrDefaultAsync(r => r.Id == revisionId, cancellationToken) is ArticleRevision copy)
        {
            db.Revisions.Remove(copy);
            await db.SaveChangesAsync(cancellationToken);
        }
        return Results.Redirect($"/newsroom/articles/{id}?ok=merged");
    }
}
