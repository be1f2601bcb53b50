using System.Text.RegularExpressions;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Site;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

/// <summary>A live page as the newsroom's list shows it.</summary>
public sealed record LivePageRow(int Id, string Headline, string Slug, ArticleStatus Status, Coverage Coverage, int Entries);

/// <summary>An entry as the console shows it, with what the signed-in person may do to it.</summary>
public sealed record LiveEntryRow(LiveEntryView Entry, string Html, string Text, bool CanChange);

/// <summary>Everything the live console shows.</summary>
public sealed record LiveConsoleModel(int Id, string Headline, string Slug, ArticleStatus Status, Coverage Coverage, IReadOnlyList<LiveEntryRow> Entries, bool CanEnd, long MaxUploadBytes);

/// <summary>
/// The live console (<c>/newsroom/direct/{id}</c>): made for a reporter on a phone, one form to post
/// (text, an optional photo with its credit, a key-event box), then edit, pin, delete with a public
/// note, end the coverage. Any staff member posts while the coverage is live (contributors too,
/// as they write articles); a contributor changes only their own entries, an editor every one, and
/// only editors end a coverage. The live page itself (headline, section, publication) is an
/// article, edited and published with the article editor and its workflow.
/// </summary>
public static partial class LiveConsolePages
{
    private const int ConsoleEntries = 100;

    /// <summary>GET /newsroom/direct: the live pages, and a button to open a new one.</summary>
    public static async Task<IResult> List(HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var rows = await db.Articles.AsNoTracking().Where(a => a.Coverage != Coverage.None).OrderByDescending(a => a.Id).Take(100)
            .Select(a => new LivePageRow(a.Id, a.Headline, a.Slug, a.Status, a.Coverage, db.LiveEntries.Count(e => e.ArticleId == a.Id)))
            .ToListAsync(cancellationToken);
        var chrome = new NewsroomChrome(text["Newsroom.Live.Title"], Staff.Of(http.User), "live", NewsroomPages.Notice(http));
        return NewsroomPages.Render<LiveListView>(new { Chrome = chrome, Rows = rows });
    }

    /// <summary>POST /newsroom/direct: a new live page, a draft like any new article, then its console.</summary>
    public static async Task<IResult> Create(HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var section = await db.Sections.OrderBy(s => s.Position).ThenBy(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
        if (section is null)
        {
            return NewsroomPages.Message(http, text["Newsroom.Editor.NoSection.Title"], text["Newsroom.Editor.NoSection"], StatusCodes.Status400BadRequest);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Slug = ArticleEditor.NewPlaceholder(),
            Headline = "",
            SectionId = section.Value,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedById = staff.Id,
            Coverage = Coverage.Live,
            CoverageStartedAt = now,
        };
        var self = await db.Authors.Where(a => a.Name == staff.Name).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (self is int authorId)
        {
            article.Authors.Add(new ArticleAuthor { AuthorId = authorId, Position = 0 });
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        Audit.Record(db, clock, staff, "live.created", $"#{article.Id}");
        await db.SaveChangesAsync(cancellationToken);
        // Headline, section and publication first, in the article editor; its page links back here.
        return Results.Redirect($"/newsroom/direct/{article.Id}?ok=live-created");
    }

    /// <summary>GET /newsroom/direct/{id}</summary>
    public static async Task<IResult> Get(int id, HttpContext http, KiosqueDb db, LiveEntries markup, IOptions<MediaOptions> media, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var page = await db.Articles.AsNoTracking().Where(a => a.Id == id && a.Coverage != Coverage.None)
            .Select(a => new { a.Id, a.Headline, a.Slug, a.Status, a.Coverage }).FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var entries = await db.LiveEntries.AsNoTracking().Where(e => e.ArticleId == id).OrderByDescending(e => e.Id).Take(ConsoleEntries)
            .Select(e => new { View = new LiveEntryView(e.Id, e.PostedAt, e.EditedAt, e.AuthorName, e.Author == null ? null : e.Author.Slug, e.Title, e.Body, e.Pinned, e.KeyEvent, e.CorrectionNote, e.DeletedAt, e.DeletionNote), e.PostedById })
            .ToListAsync(cancellationToken);
        var refs = await LiveEntries.ReferencesAsync(db, entries.Select(e => e.View), cancellationToken);
        var rows = entries.Select(e => new LiveEntryRow(e.View, markup.Render(e.View, refs, "console-" + e.View.Id), EditableText(e.View.Body),
            e.View.DeletedAt is null && (staff.IsEditor || e.PostedById == staff.Id))).ToList();
        var title = string.IsNullOrWhiteSpace(page.Headline) ? text["Newsroom.Untitled"].Value : page.Headline;
        var chrome = new NewsroomChrome(title, staff, "live", NewsroomPages.Notice(http));
        var model = new LiveConsoleModel(page.Id, title, page.Slug, page.Status, page.Coverage, rows, staff.IsEditor, media.Value.MaxBytes);
        return NewsroomPages.Render<LiveConsoleView>(new { Chrome = chrome, Model = model });
    }

    /// <summary>
    /// POST /newsroom/direct/{id}/entrees: one entry, in one form (multipart, for the photo). Read
    /// as a stream like media uploads, so it sits outside the group filter that reads forms first
    /// and checks the antiforgery token itself.
    /// </summary>
    public static async Task<IResult> Post(int id, HttpContext http, KiosqueDb db, MediaIngest ingest, IAntiforgery antiforgery, IOptions<MediaOptions> options, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await MediaUploadForm.ReadAsync(http.Request, options.Value.MaxBytes, cancellationToken);
        if (form.TooLarge)
        {
            return NewsroomPages.Message(http, text["Newsroom.Live.Refused"], ingest.TooLarge().Error ?? "", StatusCodes.Status413PayloadTooLarge);
        }
        http.Request.Form = form.Fields;
        if (form.Malformed || !await antiforgery.IsRequestValidAsync(http))
        {
            return NewsroomPages.CsrfRefusal(http);
        }
        var staff = Staff.Of(http.User)!;
        var page = await db.Articles.AsNoTracking().Where(a => a.Id == id && a.Coverage != Coverage.None).Select(a => new { a.Coverage }).FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return NewsroomPages.NotFound(http);
        }
        if (page.Coverage != Coverage.Live)
        {
            return NewsroomPages.Message(http, text["Newsroom.Live.Refused"], text["Newsroom.Live.EndedNoPost"], StatusCodes.Status409Conflict);
        }
        var blocks = Paragraphs(form["text"]);
        var credit = form["credit"].Trim();
        if (form.File is { Length: > 0 })
        {
            await using var content = new MemoryStream(form.File, writable: false);
            var upload = await ingest.IngestAsync(content, new MediaUpload(form.FileName, credit, form["caption"].Trim(), form["caption"].Trim()), cancellationToken);
            if (!upload.Succeeded)
            {
                return NewsroomPages.Message(http, text["Newsroom.Live.Refused"], upload.Error ?? "", upload.HttpStatus);
            }
            Audit.Record(db, clock, staff, "media.uploaded", $"#{upload.Asset!.Id}", upload.Asset.Name);
            blocks.Add(new ImageBlock(upload.Asset.Id, Credit: credit.Length == 0 ? null : credit));
        }
        var title = Clip(form["title"], 300);
        if (blocks.Count == 0)
        {
            return NewsroomPages.Message(http, text["Newsroom.Live.Refused"], text["Newsroom.Live.Empty"], StatusCodes.Status400BadRequest);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var author = await db.Authors.Where(a => a.Name == staff.Name).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
        var entry = new LiveEntry
        {
            ArticleId = id,
            PostedAt = now,
            PostedById = staff.Id,
            AuthorId = author,
            AuthorName = staff.Name,
            Title = title,
            Body = ArticleBody.Of([.. blocks]).ToJson(),
            KeyEvent = form["key"] == "on",
        };
        db.LiveEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        Audit.Record(db, clock, staff, "live.posted", $"#{id} entry {entry.Id}");
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/direct/{id}?ok=live-posted");
    }

    /// <summary>POST /newsroom/direct/{id}/entrees/{entryId}: new title, text or correction note; pictures stay.</summary>
    public static Task<IResult> Edit(int id, int entryId, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        ChangeAsync(id, entryId, http, db, clock, text, "live.edited", "live-edited", (entry, form, now) =>
        {
            var paragraphs = Paragraphs(form["text"].ToString());
            var kept = LiveEntries.Parse(entry.Body).Blocks.Where(b => b is not ParagraphBlock);
            if (paragraphs.Count == 0 && !kept.Any())
            {
                return false;
            }
            entry.Body = ArticleBody.Of([.. paragraphs, .. kept]).ToJson();
            entry.Title = Clip(form["title"].ToString(), 300);
            entry.KeyEvent = form["key"] == "on";
            var correction = Clip(InlineMarkup.ToPlainText(InlineMarkup.Sanitize(form["correction"].ToString())), 2000);
            entry.CorrectionNote = correction.Length == 0 ? entry.CorrectionNote : correction;
            entry.EditedAt = now;
            return true;
        }, cancellationToken);

    /// <summary>POST /newsroom/direct/{id}/entrees/{entryId}/epingler: pins it (unpinning the one pinned before), or unpins it.</summary>
    public static async Task<IResult> Pin(int id, int entryId, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (!Staff.Of(http.User)!.IsEditor && !await db.LiveEntries.AnyAsync(e => e.Id == entryId && e.PostedById == Staff.Of(http.User)!.Id, cancellationToken))
        {
            return NewsroomPages.Forbidden(http);
        }
        var others = await db.LiveEntries.Where(e => e.ArticleId == id && e.Pinned && e.Id != entryId).ToListAsync(cancellationToken);
        foreach (var other in others)
        {
            other.Pinned = false;
        }
        return await ChangeAsync(id, entryId, http, db, clock, text, "live.pinned", "live-pinned", (entry, _, _) =>
        {
            entry.Pinned = !entry.Pinned;
            return true;
        }, cancellationToken);
    }

    /// <summary>POST /newsroom/direct/{id}/entrees/{entryId}/supprimer: the entry gives way to a dated public note.</summary>
    public static Task<IResult> Delete(int id, int entryId, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        ChangeAsync(id, entryId, http, db, clock, text, "live.deleted", "live-deleted", (entry, form, now) =>
        {
            entry.DeletedAt = now;
            entry.DeletionNote = Clip(InlineMarkup.ToPlainText(InlineMarkup.Sanitize(form["note"].ToString())), 2000);
            entry.Pinned = false;
            return true;
        }, cancellationToken);

    /// <summary>POST /newsroom/direct/{id}/terminer: the coverage ends (editors); entries stay, none can be added.</summary>
    public static async Task<IResult> End(int id, HttpContext http, KiosqueDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id && a.Coverage == Coverage.Live, cancellationToken);
        if (article is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        article.Coverage = Coverage.Ended;
        article.CoverageEndedAt = now;
        article.UpdatedAt = now;
        Audit.Record(db, clock, Staff.Of(http.User), "live.ended", $"#{id} {article.Slug}");
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/direct/{id}?ok=live-ended");
    }

    private static async Task<IResult> ChangeAsync(int id, int entryId, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, string action, string ok,
        Func<LiveEntry, IFormCollection, DateTime, bool> change, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var entry = await db.LiveEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.ArticleId == id, cancellationToken);
        if (entry is null || entry.DeletedAt is not null)
        {
            return NewsroomPages.NotFound(http);
        }
        if (!staff.IsEditor && entry.PostedById != staff.Id)
        {
            return NewsroomPages.Forbidden(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!change(entry, form, now))
        {
            return NewsroomPages.Message(http, text["Newsroom.Live.Refused"], text["Newsroom.Live.Empty"], StatusCodes.Status400BadRequest);
        }
        Audit.Record(db, clock, staff, action, $"#{id} entry {entryId}");
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/direct/{id}?ok={ok}#console-{entryId}");
    }

    /// <summary>
    /// The text box as paragraphs: a blank line starts a new one, a single line break stays one.
    /// Inline markup is limited and sanitised exactly as the article editor's (<see cref="InlineMarkup"/>).
    /// </summary>
    public static List<Block> Paragraphs(string text) =>
        BlankLine().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(p => InlineMarkup.Sanitize(p.Trim().Replace("\n", "<br>", StringComparison.Ordinal)).Trim())
            .Where(p => InlineMarkup.ToPlainText(p).Trim().Length > 0)
            .Select(p => (Block)new ParagraphBlock(p))
            .ToList();

    /// <summary>An entry's paragraphs as the text box shows them for editing.</summary>
    private static string EditableText(string body) =>
        string.Join("\n\n", LiveEntries.Parse(body).Blocks.OfType<ParagraphBlock>().Select(p => p.Text.Replace("<br>", "\n", StringComparison.Ordinal)));

    private static string Clip(string value, int length)
    {
        var trimmed = value.Trim();
        return trimmed.Length <= length ? trimmed : trimmed[..length];
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLine();
}
