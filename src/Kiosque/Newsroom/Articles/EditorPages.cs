using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

public sealed record MediaChoice(int Id, string Url, string Caption, string Credit, int Width, int Height);

public sealed record CorrectionRow(DateTime At, string Text);

/// <summary>Everything the editor page shows and offers.</summary>
public sealed record EditorModel(
    int Id,
    int Version,
    ArticleStatus Status,
    string Kicker,
    string Headline,
    string Standfirst,
    string Slug,
    int SectionId,
    int? HeroMediaId,
    IReadOnlyList<int> AuthorIds,
    IReadOnlyList<int> TagIds,
    string? SeoTitle,
    string? SeoDescription,
    string BodyJson,
    DateTime? PublishedAt,
    DateTime? ScheduledAt,
    DateTime UpdatedAt,
    IReadOnlyList<Choice> Sections,
    IReadOnlyList<Choice> Authors,
    IReadOnlyList<Choice> Tags,
    IReadOnlyList<MediaChoice> Media,
    IReadOnlyList<Choice> ReadAlso,
    IReadOnlyList<CorrectionRow> Corrections,
    bool CanEdit,
    bool CanPublish,
    string PreviewLink,
    DateTime PreviewExpires,
    string EditorStrings)
{
    /// <summary>Set after a refused save without script: where to merge it.</summary>
    public string? MergeUrl { get; init; }

    /// <summary>The media size limit, for the upload form's message and its check before sending.</summary>
    public long MaxUploadBytes { get; init; }
}

/// <summary>The article editor: create, edit and autosave, workflow, preview, corrections.</summary>
public static class EditorPages
{
    /// <summary>POST /newsroom/articles: a blank draft in the first section, then its editor.</summary>
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
            Status = ArticleStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedById = staff.Id,
        };
        // The journalist is on the byline by default when an author page carries their name.
        var self = await db.Authors.Where(a => a.Name == staff.Name).Select(a => (int?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (self is int authorId)
        {
            article.Authors.Add(new ArticleAuthor { AuthorId = authorId, Position = 0 });
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        Audit.Record(db, clock, staff, "article.created", $"#{article.Id}");
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/articles/{article.Id}");
    }

    /// <summary>GET /newsroom/articles/{id}</summary>
    public static async Task<IResult> Get(int id, HttpContext http, KiosqueDb db, ArticleEditor editor, PreviewLinks previews, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var article = await editor.LoadAsync(id, cancellationToken);
        if (article is null)
        {
            return NewsroomPages.NotFound(http);
        }
        return await RenderAsync(http, db, article, previews, text, [], StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(HttpContext http, KiosqueDb db, Article article, PreviewLinks previews, IStringLocalizer<SharedResource> text, IReadOnlyList<string> errors, int status, CancellationToken cancellationToken, string? mergeUrl = null)
    {
        var staff = Staff.Of(http.User)!;
        var sections = await db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name).Select(s => new Choice(s.Id, s.Name)).ToListAsync(cancellationToken);
        var authors = await db.Authors.AsNoTracking().OrderBy(a => a.Name).Select(a => new Choice(a.Id, a.Name)).ToListAsync(cancellationToken);
        var tags = await db.Tags.AsNoTracking().OrderBy(t => t.Name).Select(t => new Choice(t.Id, t.Name)).ToListAsync(cancellationToken);
        // A few recent media and those the article shows; the pickers search the rest (/newsroom/medias/recherche).
        var shown = ArticleBody.Parse(article.Body).Blocks.OfType<ImageBlock>().Select(b => b.MediaId).Append(article.HeroMediaId ?? 0).Where(id => id > 0);
        var media = (await MediaLibraryPages.PickerAsync(db, shown, cancellationToken))
            .Select(m => new MediaChoice(m.Id, m.Url, m.Caption, m.Credit, m.UrlWidth, m.UrlHeight)).ToList();
        var readAlso = await db.Published().Where(a => a.Id != article.Id).NewestFirst().Take(300).Select(a => new Choice(a.Id, a.Headline)).ToListAsync(cancellationToken);
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.ArticleId == article.Id).OrderBy(c => c.At).Select(c => new CorrectionRow(c.At, c.Text)).ToListAsync(cancellationToken);
        var (previewLink, expires) = previews.Create(article.Id);
        var model = new EditorModel(
            article.Id, article.Version, article.Status, article.Kicker, article.Headline, article.Standfirst, article.Slug, article.SectionId, article.HeroMediaId,
            article.Authors.OrderBy(a => a.Position).Select(a => a.AuthorId).ToList(), article.Tags.Select(t => t.TagId).ToList(),
            article.SeoTitle, article.SeoDescription, EditorJsBody.ToEditorJs(ArticleBody.Parse(article.Body)).ToJsonString(),
            article.PublishedAt, article.ScheduledAt, article.UpdatedAt, sections, authors, tags, media, readAlso, corrections,
            ArticleWorkflow.CanEdit(staff, article), staff.IsEditor, previewLink, expires, EditorStrings(text))
        { MergeUrl = mergeUrl, MaxUploadBytes = http.RequestServices.GetRequiredService<IOptions<MediaOptions>>().Value.MaxBytes };
        var title = string.IsNullOrWhiteSpace(article.Headline) ? text["Newsroom.Untitled"].Value : article.Headline;
        var chrome = new NewsroomChrome(title, staff, "articles", NewsroomPages.Notice(http), errors.Count == 0 ? null : Describe(errors, text)) { EditorScript = true };
        return NewsroomPages.Render<EditorView>(new { Chrome = chrome, Model = model }, status);
    }

    public static string Describe(IEnumerable<string> errors, IStringLocalizer<SharedResource> text) =>
        string.Join(" ", errors.Select(e =>
        {
            var message = text["Newsroom.Error." + e];
            return message.ResourceNotFound ? e : message.Value;
        }));

    /// <summary>
    /// POST /newsroom/articles/{id}: a save from the form, or an autosave from the editor's script
    /// (which asks for JSON). Either way the version the page was based on must still be current.
    /// </summary>
    public static async Task<IResult> Save(int id, HttpContext http, KiosqueDb db, ArticleEditor editor, PreviewLinks previews, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var script = NewsroomServices.IsScriptRequest(http.Request);
        var staff = Staff.Of(http.User)!;
        var article = await editor.LoadAsync(id, cancellationToken);
        if (article is null)
        {
            return script ? Results.NotFound() : NewsroomPages.NotFound(http);
        }
        if (!ArticleWorkflow.CanEdit(staff, article))
        {
            return script ? Results.Json(new { error = text["Newsroom.Forbidden"].Value }, statusCode: StatusCodes.Status403Forbidden) : NewsroomPages.Forbidden(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var kind = form["kind"].ToString() == "autosave" ? "autosave" : "save";
        var outcome = await editor.SaveAsync(article, ArticleInput.Read(form), staff, kind, cancellationToken);
        if (script)
        {
            if (outcome.Conflict is Conflict conflict)
            {
                return Results.Json(new
                {
                    error = text["Newsroom.Editor.Conflict", conflict.By, F(http).Time(conflict.At)].Value,
                    currentVersion = conflict.CurrentVersion,
                    compare = $"/newsroom/articles/{id}/revisions?de={ArticleInput.Read(form).Version}&a={conflict.CurrentVersion}",
                    merge = conflict.MergeRevisionId is long merge ? $"/newsroom/articles/{id}/fusion/{merge}" : null,
                }, statusCode: StatusCodes.Status409Conflict);
            }
            if (!outcome.Saved)
            {
                return Results.Json(new { error = Describe(outcome.Errors, text) }, statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Json(new { version = outcome.Version, slug = article.Slug, savedAt = text["Newsroom.Editor.SavedAt", F(http).Time(article.UpdatedAt)].Value });
        }
        if (outcome.Conflict is Conflict formConflict)
        {
            // Without script, the page shows the other person's version and says so; the typed text is in the revision history of neither, so it is kept in the reloaded form.
            var reloaded = await editor.LoadAsync(id, cancellationToken);
            var message = text["Newsroom.Editor.Conflict", formConflict.By, F(http).Time(formConflict.At)].Value;
            if (formConflict.MergeRevisionId is long mergeId)
            {
                message += " " + text["Newsroom.Merge.Kept"].Value;
                return await RenderAsync(http, db, reloaded!, previews, text, [message], StatusCodes.Status409Conflict, cancellationToken, $"/newsroom/articles/{id}/fusion/{mergeId}");
            }
            return await RenderAsync(http, db, reloaded!, previews, text, [message], StatusCodes.Status409Conflict, cancellationToken);
        }
        if (!outcome.Saved)
        {
            return await RenderAsync(http, db, article, previews, text, outcome.Errors, StatusCodes.Status400BadRequest, cancellationToken);
        }
        return Results.Redirect($"/newsroom/articles/{id}?ok=saved");
    }

    private static SiteFormat F(HttpContext http) => http.RequestServices.GetRequiredService<SiteFormat>();

    /// <summary>
    /// POST /newsroom/articles/{id}/statut: a workflow step (<see cref="ArticleWorkflow"/> decides
    /// who may take it and what it needs; contributors asking for an editor's step get 403).
    /// </summary>
    public static async Task<IResult> ChangeStatus(int id, HttpContext http, KiosqueDb db, ArticleWorkflow workflow, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (article is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var name = form["action"].ToString();
        if (!Enum.TryParse<WorkflowAction>(name, ignoreCase: true, out var action) || action == WorkflowAction.PublishDue || !string.Equals(action.ToString().ToLowerInvariant(), name, StringComparison.Ordinal))
        {
            return NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], Describe(["status.not-allowed"], text), StatusCodes.Status400BadRequest);
        }
        var at = action == WorkflowAction.Schedule ? ParseLocal(form["scheduledAt"].ToString(), options.Value.TimeZoneInfo) : null;
        var outcome = await workflow.TakeAsync(article, action, staff, at, cancellationToken);
        return outcome.Result switch
        {
            WorkflowResult.Done => Results.Redirect($"/newsroom/articles/{id}?ok=status-{name}"),
            WorkflowResult.Forbidden => NewsroomPages.Forbidden(http),
            WorkflowResult.ChangedMeanwhile => NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], text["Newsroom.Editor.ChangedMeanwhile"], StatusCodes.Status409Conflict),
            _ => NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], Describe(outcome.Problems, text), StatusCodes.Status400BadRequest),
        };
    }

    /// <summary>The datetime-local value of the form, in the newsroom's time zone, as UTC.</summary>
    public static DateTime? ParseLocal(string value, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        }
        catch (ArgumentException)
        {
            // A time skipped by the clock change does not exist.
            return null;
        }
    }

    /// <summary>
    /// GET /newsroom/articles/{id}/apercu: the real public page of any article, for signed-in
    /// staff or with a valid signed link; anyone else gets the same 404 as for a missing page.
    /// </summary>
    public static async Task<IResult> Preview(int id, string? jeton, HttpContext http, KiosqueDb db, PreviewLinks previews, SiteFormat format, BodyRenderer renderer, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (previews.IsValid(id, jeton))
        {
            MediaAccess.GrantPreview(http, id, jeton!, previews.ExpiresOf(jeton!));
        }
        else
        {
            if (Staff.Of(http.User) is null)
            {
                return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
            }
            // The route is outside the staff group (links work without an account), so the staff
            // rules that group applies are applied here to a session that is not using a link.
            if (await NewsroomPages.LacksMandatoryTwoFactorAsync(http))
            {
                return NewsroomPages.TwoFactorRefusal(http);
            }
        }
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        var status = await db.Articles.Where(a => a.Id == id).Select(a => (ArticleStatus?)a.Status).FirstOrDefaultAsync(cancellationToken);
        var notice = status is null ? null : text["Newsroom.Preview.Notice", text["Newsroom.Status." + status]].Value;
        return await ArticlePage.RenderAsync(db.Articles.AsNoTracking().Where(a => a.Id == id), http, db, format, renderer, options, text, notice, cancellationToken)
            ?? await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
    }

    /// <summary>POST /newsroom/articles/{id}/rectificatifs: a dated public correction; the article's updated time moves.</summary>
    public static async Task<IResult> AddCorrection(int id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var note = InlineMarkup.ToPlainText(InlineMarkup.Sanitize(form["text"].ToString())).Trim();
        // The note does not depend on the article's text, so a save that slips in between (an
        // autosave) is no reason to refuse it: read the article again and add it on top.
        for (var attempt = 1; ; attempt++)
        {
            var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (article is null)
            {
                return NewsroomPages.NotFound(http);
            }
            if (note.Length is 0 or > 2000)
            {
                return NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], text["Newsroom.Error.correction.invalid"], StatusCodes.Status400BadRequest);
            }
            if (article.PublishedAt is null)
            {
                return NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], text["Newsroom.Error.correction.unpublished"], StatusCodes.Status400BadRequest);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            db.Corrections.Add(new Correction { ArticleId = id, At = now, Text = note });
            article.UpdatedAt = now;
            Audit.Record(db, clock, Staff.Of(http.User), "article.corrected", $"#{id} {article.Slug}", note);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return Results.Redirect($"/newsroom/articles/{id}?ok=corrected");
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                return NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], text["Newsroom.Editor.ChangedMeanwhile"], StatusCodes.Status409Conflict);
            }
        }
    }

    /// <summary>The editor's own words (Editor.js i18n and our tools), from the resource files.</summary>
    private static string EditorStrings(IStringLocalizer<SharedResource> text)
    {
        var strings = new JsonObject();
        foreach (var entry in text.GetAllStrings(includeParentCultures: true).Where(s => s.Name.StartsWith("Editor.", StringComparison.Ordinal)))
        {
            strings[entry.Name["Editor.".Length..]] = entry.Value;
        }
        return strings.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
    }
}
