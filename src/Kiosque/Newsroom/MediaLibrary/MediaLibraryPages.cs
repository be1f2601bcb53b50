using System.Globalization;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Site;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

/// <summary>A medium in the library grid, the editor's pickers and the JSON search.</summary>
public sealed record MediaCard(int Id, string Name, string ContentType, int Width, int Height, string Credit, string Caption, string Alt, DateTime CreatedAt, string Thumb, int ThumbWidth, int ThumbHeight, string Url, int UrlWidth, int UrlHeight)
{
    public bool MissingCredit => string.IsNullOrWhiteSpace(Credit);
    public bool MissingCaption => string.IsNullOrWhiteSpace(Caption);
    public bool MissingAlt => string.IsNullOrWhiteSpace(Alt);
    public bool Complete => !MissingCredit && !MissingCaption && !MissingAlt;

    /// <summary>"JPEG", "PNG"… from the content type decided at upload.</summary>
    public string Format => ContentType.StartsWith("image/", StringComparison.Ordinal) ? ContentType["image/".Length..].ToUpperInvariant() : ContentType;
}

/// <summary>What the upload form shows again after a refusal: nothing typed is lost.</summary>
public sealed record MediaUploadValues(string Credit = "", string Caption = "", string Alt = "");

/// <summary>An article that shows a medium, and where.</summary>
public sealed record MediaUse(int ArticleId, string Headline, ArticleStatus Status, bool Hero, bool Body);

/// <summary>The medium page: the picture, its fields (as typed, after a refusal), crops and uses.</summary>
public sealed record MediumModel(
    MediaCard Card,
    string FocalX,
    string FocalY,
    double MarkerX,
    double MarkerY,
    IReadOnlyList<SocialImage>? Crops,
    bool Pending,
    string? RenditionError,
    IReadOnlyList<MediaUse> Uses,
    bool CanDelete);

/// <summary>
/// The newsroom's media library: the grid with its search, the upload form (also used by the
/// editor's script, which asks for JSON), the medium page (fields, focal point, crops, uses), the
/// JSON search behind the editor's pickers, and deleting a medium nothing uses.
/// </summary>
public static class MediaLibraryPages
{
    public const int PageSize = 24;
    public const int PickerSize = 20;
    private const int QueryLength = 200;

    /// <summary>GET /newsroom/medias?q=&amp;page=</summary>
    public static async Task<IResult> List(HttpContext http, KiosqueDb db, IOptions<MediaOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        await RenderLibraryAsync(http, db, options.Value, text, new MediaUploadValues(), null, StatusCodes.Status200OK, cancellationToken);

    /// <summary>
    /// POST /newsroom/medias: the upload form, or the editor's script (Accept: application/json,
    /// token in the header). The body is read as it streams (see <see cref="MediaUploadForm"/>), so
    /// this endpoint checks the antiforgery token itself, once the fields are read.
    /// </summary>
    public static async Task<IResult> Upload(HttpContext http, KiosqueDb db, MediaIngest ingest, IAntiforgery antiforgery, IOptions<MediaOptions> options, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await MediaUploadForm.ReadAsync(http.Request, options.Value.MaxBytes, cancellationToken);
        var values = new MediaUploadValues(form["credit"], form["caption"], form["alt"]);
        var script = NewsroomServices.IsScriptRequest(http.Request);
        MediaIngestResult? refusal = null;
        if (form.TooLarge)
        {
            // Refused before anything changes, so before the token check: a body cut short by the
            // server's limit may not have reached the token, and the clear message matters more.
            refusal = ingest.TooLarge();
        }
        else
        {
            http.Request.Form = form.Fields;
            if (form.Malformed || !await antiforgery.IsRequestValidAsync(http))
            {
                return NewsroomPages.CsrfRefusal(http);
            }
            if (form.File is null)
            {
                refusal = ingest.NoFile();
            }
        }
        MediaIngestResult result;
        if (refusal is not null)
        {
            result = refusal;
        }
        else
        {
            await using var content = new MemoryStream(form.File!, writable: false);
            result = await ingest.IngestAsync(content, new MediaUpload(form.FileName, values.Credit, values.Caption, values.Alt), cancellationToken);
        }
        if (!result.Succeeded)
        {
            return script
                ? Results.Json(new { error = result.Error, problem = result.Problem?.ToString() }, statusCode: result.HttpStatus)
                : await RenderLibraryAsync(http, db, options.Value, text, values, result.Error, result.HttpStatus, cancellationToken);
        }
        var asset = result.Asset!;
        Audit.Record(db, clock, Staff.Of(http.User), "media.uploaded", $"#{asset.Id}", asset.Name);
        await db.SaveChangesAsync(cancellationToken);
        if (script)
        {
            return Results.Json(ToJson(Card(asset)), statusCode: StatusCodes.Status201Created);
        }
        return Results.Redirect($"/newsroom/medias/{asset.Id}?ok=media-uploaded");
    }

    /// <summary>GET /newsroom/medias/recherche?q=: the editor's pickers (recent media, or those matching).</summary>
    public static async Task<IResult> Search(HttpContext http, KiosqueDb db, CancellationToken cancellationToken)
    {
        var query = Query(http);
        var media = await Filter(db.Media.AsNoTracking(), query).OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(PickerSize).ToListAsync(cancellationToken);
        return Results.Json(media.Select(m => ToJson(Card(m))));
    }

    /// <summary>GET /newsroom/medias/{id}</summary>
    public static async Task<IResult> Get(int id, HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var medium = await db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (medium is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var focal = (medium.FocalX.ToString("0.###", CultureInfo.InvariantCulture), medium.FocalY.ToString("0.###", CultureInfo.InvariantCulture));
        return await RenderMediumAsync(http, db, text, medium, Card(medium), focal, null, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>POST /newsroom/medias/{id}: credit, caption, alt text and focal point.</summary>
    public static async Task<IResult> Save(int id, HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var medium = await db.Media.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (medium is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var credit = form["credit"].ToString().Trim();
        var caption = form["caption"].ToString().Trim();
        var alt = form["alt"].ToString().Trim();
        var focalX = form["focalX"].ToString().Trim();
        var focalY = form["focalY"].ToString().Trim();
        // A picture readers see (or will see, or saw: an unpublished piece comes back as it was)
        // changes live everywhere it appears, without any article's workflow: that is an
        // editor's decision, like publishing. Contributors keep their own pictures until then.
        var uses = await UsesAsync(db, medium.Id, cancellationToken);
        var online = uses.Any(u => u.Status is ArticleStatus.Published or ArticleStatus.Scheduled or ArticleStatus.Unpublished)
            || await db.Authors.AnyAsync(a => a.PhotoMediaId == medium.Id, cancellationToken);
        if (online && Staff.Of(http.User)?.IsEditor != true)
        {
            var current = (medium.FocalX.ToString("0.###", CultureInfo.InvariantCulture), medium.FocalY.ToString("0.###", CultureInfo.InvariantCulture));
            return await RenderMediumAsync(http, db, text, medium, Card(medium), current, text["Media.Error.EditorOnly"], StatusCodes.Status403Forbidden, cancellationToken);
        }
        string? error = null;
        if (credit.Length > 300)
        {
            error = text["Media.Error.TooLong.Credit", 300];
        }
        else if (credit.Length == 0 && uses.Any(u => u.Status is ArticleStatus.Published or ArticleStatus.Scheduled))
        {
            // Publishing refused this picture without a credit (MediaRules); emptying it afterwards must not get round that.
            error = text["Media.Error.CreditRequired"];
        }
        else if (caption.Length > 1000)
        {
            error = text["Media.Error.TooLong.Caption", 1000];
        }
        else if (alt.Length > 1000)
        {
            error = text["Media.Error.TooLong.Alt", 1000];
        }
        var x = ParseFocal(focalX);
        var y = ParseFocal(focalY);
        if (error is null && (x is null || y is null))
        {
            error = text["Media.Focal.Invalid"];
        }
        if (error is not null)
        {
            var typed = Card(medium) with { Credit = credit, Caption = caption, Alt = alt };
            return await RenderMediumAsync(http, db, text, medium, typed, (focalX, focalY), error, StatusCodes.Status400BadRequest, cancellationToken);
        }
        var moved = x != medium.FocalX || y != medium.FocalY;
        (medium.Credit, medium.Caption, medium.Alt) = (credit, caption, alt);
        medium.SetFocalPoint(x!.Value, y!.Value);
        var details = moved ? string.Create(CultureInfo.InvariantCulture, $"focal {x:0.###},{y:0.###}") : "";
        Audit.Record(db, clock, Staff.Of(http.User), "media.updated", $"#{medium.Id}", details);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/newsroom/medias/{id}?ok=media-saved");
    }

    /// <summary>POST /newsroom/medias/{id}/supprimer: only a medium no article or author uses.</summary>
    public static async Task<IResult> Delete(int id, HttpContext http, KiosqueDb db, IMediaStore store, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var medium = await db.Media.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (medium is null)
        {
            return NewsroomPages.NotFound(http);
        }
        if (!await DeletableAsync(db, medium.Id, cancellationToken))
        {
            var focal = (medium.FocalX.ToString("0.###", CultureInfo.InvariantCulture), medium.FocalY.ToString("0.###", CultureInfo.InvariantCulture));
            return await RenderMediumAsync(http, db, text, medium, Card(medium), focal, text["Media.Delete.InUse"], StatusCodes.Status409Conflict, cancellationToken);
        }
        db.Media.Remove(medium);
        Audit.Record(db, clock, Staff.Of(http.User), "media.deleted", $"#{medium.Id}", medium.Name);
        await db.SaveChangesAsync(cancellationToken);
        // The files go with the row (a picture may be deleted because it must no longer be seen),
        // unless an identical upload still uses them: they are named after the content.
        if (medium.Sha256 is null || !await db.Media.AnyAsync(m => m.Sha256 == medium.Sha256, cancellationToken))
        {
            await DeleteFilesAsync(store, medium, cancellationToken);
        }
        return Results.Redirect("/newsroom/medias?ok=media-deleted");
    }

    private static async Task DeleteFilesAsync(IMediaStore store, MediaAsset medium, CancellationToken cancellationToken)
    {
        var files = new List<(MediaArea Area, string Path)> { (MediaArea.Public, medium.FileName) };
        if (medium.OriginalPath is { } original)
        {
            files.Add((MediaArea.Original, original));
        }
        if (medium.RenditionsPath is { } folder)
        {
            files.AddRange(RenditionPlan.Widths(medium.Width)
                .SelectMany(w => new[] { ImageFormat.Avif, ImageFormat.Webp, ImageFormat.Jpeg }.Select(f => (MediaArea.Public, RenditionPlan.WidthPath(folder, w, f)))));
        }
        if (medium.CropsPath is { } crops)
        {
            files.AddRange(CropRatio.All.Select(r => (MediaArea.Public, RenditionPlan.CropPath(crops, r))));
        }
        foreach (var (area, path) in files.Distinct())
        {
            if (await store.ExistsAsync(area, path, cancellationToken))
            {
                await store.DeleteAsync(area, path, cancellationToken);
            }
        }
    }

    /// <summary>The recent media for the editor's pickers, with the ones the article already shows.</summary>
    public static async Task<List<MediaCard>> PickerAsync(KiosqueDb db, IEnumerable<int> shown, CancellationToken cancellationToken)
    {
        var recent = await db.Media.AsNoTracking().OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(PickerSize).ToListAsync(cancellationToken);
        var missing = shown.Except(recent.Select(m => m.Id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            recent.AddRange(await db.Media.AsNoTracking().Where(m => missing.Contains(m.Id)).ToListAsync(cancellationToken));
        }
        return recent.Select(Card).ToList();
    }

    public static MediaCard Card(MediaAsset m)
    {
        // The smallest width for the grid once renditions exist; until then the JPEG made at upload.
        SocialImage thumb;
        if (m.RenditionsPath is { } folder)
        {
            var width = RenditionPlan.Widths(m.Width)[0];
            thumb = new SocialImage(RenditionPlan.WidthPath(folder, width, ImageFormat.Jpeg), width, RenditionPlan.HeightFor(m.Width, m.Height, width));
        }
        else
        {
            thumb = Picture.Source(new MediaRef(m.FileName, m.Width, m.Height, m.Alt, m.Caption, m.Credit));
        }
        var upload = Picture.Source(new MediaRef(m.FileName, m.Width, m.Height, m.Alt, m.Caption, m.Credit));
        return new MediaCard(m.Id, m.Name, m.ContentType, m.Width, m.Height, m.Credit, m.Caption, m.Alt, m.CreatedAt,
            thumb.Url, thumb.Width, thumb.Height, upload.Url, upload.Width, upload.Height);
    }

    private static object ToJson(MediaCard card) => new
    {
        id = card.Id,
        url = card.Url,
        thumb = card.Thumb,
        caption = card.Caption,
        credit = card.Credit,
        alt = card.Alt,
        name = card.Name,
        width = card.Width,
        height = card.Height,
        complete = card.Complete,
        page = $"/newsroom/medias/{card.Id}",
    };

    private static string Query(HttpContext http)
    {
        var query = http.Request.Query["q"].ToString().Trim();
        return query.Length > QueryLength ? query[..QueryLength] : query;
    }

    /// <summary>Case-insensitive, on both databases: lower() on each side rather than the provider's LIKE rules.</summary>
    private static IQueryable<MediaAsset> Filter(IQueryable<MediaAsset> media, string query)
    {
        if (query.Length == 0)
        {
            return media;
        }
        var lowered = query.ToLowerInvariant();
        // Translated to SQL lower(…) on both providers; the culture-aware overloads the analysers
        // suggest have no SQL translation.
#pragma warning disable CA1304, CA1311, CA1862
        return media.Where(m => m.Caption.ToLower().Contains(lowered) || m.Credit.ToLower().Contains(lowered) || m.Alt.ToLower().Contains(lowered) || m.Name.ToLower().Contains(lowered));
#pragma warning restore CA1304, CA1311, CA1862
    }

    private static double? ParseFocal(string value) =>
        double.TryParse(value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number is >= 0 and <= 1
            ? number
            : null;

    private static async Task<IResult> RenderLibraryAsync(HttpContext http, KiosqueDb db, MediaOptions options, IStringLocalizer<SharedResource> text, MediaUploadValues values, string? error, int status, CancellationToken cancellationToken)
    {
        var query = Query(http);
        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 100_000 ? p : 1;
        var filtered = Filter(db.Media.AsNoTracking(), query);
        var total = await filtered.CountAsync(cancellationToken);
        var items = await filtered.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var chrome = new NewsroomChrome(text["Newsroom.Media.Title"], Staff.Of(http.User), "media", NewsroomPages.Notice(http), error) { EditorScript = true };
        return NewsroomPages.Render<MediaLibraryView>(new
        {
            Chrome = chrome,
            Items = items.Select(Card).ToList(),
            Query = query,
            Page = page,
            PageCount = Math.Max(1, (total + PageSize - 1) / PageSize),
            Total = total,
            Upload = values,
            MaxBytes = options.MaxBytes,
        }, status);
    }

    private static async Task<IResult> RenderMediumAsync(HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, MediaAsset medium, MediaCard card, (string X, string Y) focal, string? error, int status, CancellationToken cancellationToken)
    {
        var uses = await UsesAsync(db, medium.Id, cancellationToken);
        var crops = medium.CropsPath is null ? null
            : Picture.StructuredData(new MediaRef(medium.FileName, medium.Width, medium.Height, medium.Alt, medium.Caption, medium.Credit, medium.RenditionsPath, medium.CropsPath));
        // The delete form only for those allowed to use it, and only when it would be accepted.
        var canDelete = Staff.Of(http.User)?.IsEditor == true && uses.Count == 0
            && !await db.Authors.AnyAsync(a => a.PhotoMediaId == medium.Id, cancellationToken);
        var model = new MediumModel(card, focal.X, focal.Y, medium.FocalX, medium.FocalY, crops, medium.RenditionsPending, medium.RenditionError, uses, canDelete);
        var title = string.IsNullOrWhiteSpace(medium.Name) ? text["Media.Unnamed", medium.Id].Value : medium.Name;
        var chrome = new NewsroomChrome(title, Staff.Of(http.User), "media", NewsroomPages.Notice(http), error) { EditorScript = true };
        return NewsroomPages.Render<MediumView>(new { Chrome = chrome, Model = model }, status);
    }

    /// <summary>Articles showing the medium: as hero, or in an image block (<see cref="ArticlePicture"/>).</summary>
    public static async Task<IReadOnlyList<MediaUse>> UsesAsync(KiosqueDb db, int id, CancellationToken cancellationToken) =>
        await db.Articles.AsNoTracking()
            .Where(a => a.HeroMediaId == id || a.Pictures.Any(p => p.MediaAssetId == id))
            .OrderByDescending(a => a.UpdatedAt)
            .Take(200)
            .Select(a => new MediaUse(a.Id, a.Headline, a.Status, a.HeroMediaId == id, a.Pictures.Any(p => p.MediaAssetId == id)))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// No article shows it and no author page uses it as a photo. An old revision may still name
    /// it: restoring that revision is then refused with the editor's "picture not found" message.
    /// </summary>
    private static async Task<bool> DeletableAsync(KiosqueDb db, int id, CancellationToken cancellationToken) =>
        (await UsesAsync(db, id, cancellationToken)).Count == 0 && !await db.Authors.AnyAsync(a => a.PhotoMediaId == id, cancellationToken);
}
