using System.Buffers;
using System.Security.Cryptography;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using NetVips;

namespace Kiosque.Media;

/// <summary>Why an upload was refused; each has its own message for the newsroom and the CLI.</summary>
public enum MediaProblem
{
    Empty,
    TooLarge,
    TooManyPixels,
    NotAnImage,
    UnsupportedFormat,
    Corrupt,
    HeicUnsupported,
    TextTooLong,

    /// <summary>A form sent without choosing a file.</summary>
    NoFile,

    /// <summary>The media store (a shared bucket) could not be reached: nothing was saved, the upload can be sent again.</summary>
    StoreUnavailable,
}

/// <summary>What comes with the file. Empty credit, caption or alt are prefilled from the file's IPTC/XMP when it has them.</summary>
public sealed record MediaUpload(string? FileName = null, string? Credit = null, string? Caption = null, string? Alt = null, double? FocalX = null, double? FocalY = null);

/// <summary>The new medium, or why there is none (with a message ready to show).</summary>
public sealed record MediaIngestResult(MediaAsset? Asset, MediaProblem? Problem, string? Error)
{
    public bool Succeeded => Asset is not null;

    /// <summary>413 for a file over the size limit, 400 for every other refusal.</summary>
    public int HttpStatus => Problem switch
    {
        null => StatusCodes.Status200OK,
        MediaProblem.TooLarge => StatusCodes.Status413PayloadTooLarge,
        MediaProblem.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>What an HTTP upload handler returns on refusal: a ProblemDetails with the clear message.</summary>
    public IResult ToProblem() => TypedResults.Problem(detail: Error, statusCode: HttpStatus, extensions: new Dictionary<string, object?> { ["problem"] = Problem?.ToString() });

    internal static MediaIngestResult Refused(MediaProblem problem, string message) => new(null, problem, message);
}

/// <summary>
/// Takes an uploaded image in: checks it by its content (never its name), keeps the original
/// privately, makes at once the stripped JPEG that pages show until the background worker has made
/// every rendition, and records the medium. Anything refused leaves no file and no row behind.
/// </summary>
/// <remarks>
/// An HTTP handler calls it with the request's stream, e.g. for a multipart form field <c>file</c>:
/// <code>
/// var result = await ingest.IngestAsync(form.File.OpenReadStream(), new MediaUpload(form.File.FileName, credit, caption, alt), ct);
/// return result.Succeeded ? TypedResults.Ok(new { result.Asset!.Id }) : result.ToProblem();
/// </code>
/// The size limit is enforced while reading, so a huge body is cut short rather than buffered.
/// </remarks>
public sealed partial class MediaIngest(
    KiosqueDb db,
    IMediaStore store,
    IOptions<MediaOptions> options,
    IStringLocalizer<SharedResource> text,
    TimeProvider clock,
    ILogger<MediaIngest> logger)
{
    private const int CreditLength = 300, CaptionLength = 1000, AltLength = 1000, NameLength = 255;

    /// <summary>Checks, stores and records an upload. The medium is saved (with a change-log row) when this returns.</summary>
    public async Task<MediaIngestResult> IngestAsync(Stream content, MediaUpload upload, CancellationToken cancellationToken = default)
    {
        var (result, written) = await PrepareCoreAsync(content, upload, cancellationToken);
        if (!result.Succeeded)
        {
            return result;
        }
        db.Media.Add(result.Asset!);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            db.Entry(result.Asset!).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
            await DiscardAsync(written);
            throw;
        }
        LogIngested(logger, result.Asset!.Id, result.Asset.ContentType, result.Asset.Width, result.Asset.Height);
        return result;
    }

    /// <summary>
    /// Checks and stores the files, and returns the medium unsaved, for a caller that saves it with
    /// other changes in its own transaction (the demo newsroom). Files are content-addressed, so a
    /// caller whose transaction fails leaves only files that a later identical upload reuses.
    /// </summary>
    public async Task<MediaIngestResult> PrepareAsync(Stream content, MediaUpload upload, CancellationToken cancellationToken = default) =>
        (await PrepareCoreAsync(content, upload, cancellationToken)).Result;

    private async Task<(MediaIngestResult Result, List<(MediaArea, string)> Written)> PrepareCoreAsync(Stream content, MediaUpload upload, CancellationToken cancellationToken)
    {
        var written = new List<(MediaArea, string)>();
        var limits = options.Value;

        var credit = upload.Credit?.Trim() ?? "";
        var caption = upload.Caption?.Trim() ?? "";
        var alt = upload.Alt?.Trim() ?? "";
        foreach (var (value, max, key) in new[] { (credit, CreditLength, "Media.Error.TooLong.Credit"), (caption, CaptionLength, "Media.Error.TooLong.Caption"), (alt, AltLength, "Media.Error.TooLong.Alt") })
        {
            if (value.Length > max)
            {
                return (Refuse(MediaProblem.TextTooLong, key, max), written);
            }
        }

        var bytes = await ReadLimitedAsync(content, limits.MaxBytes, cancellationToken);
        if (bytes is null)
        {
            return (Refuse(MediaProblem.TooLarge, "Media.Error.TooLarge", Megabytes(limits.MaxBytes)), written);
        }
        if (bytes.Length == 0)
        {
            return (Refuse(MediaProblem.Empty, "Media.Error.Empty"), written);
        }

        Vips.EnsureInitialised();
        var sniffed = Sniff(bytes);
        if (sniffed.Refusal is not null)
        {
            return (sniffed.Refusal, written);
        }

        // The header only: the dimensions are known before a single pixel is decoded.
        int width, height, orientation;
        string contentType;
        try
        {
            using var header = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
            width = header.Width;
            height = header.Height;
            orientation = header.Contains("orientation") ? Convert.ToInt32(header.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture) : 1;
            contentType = sniffed.ContentType!;
            if (contentType == "image/heif")
            {
                var compression = header.Contains("heif-compression") ? header.Get("heif-compression") as string : null;
                contentType = compression == "av1" ? "image/avif" : "image/heic";
            }
        }
        catch (VipsException)
        {
            return (Refuse(MediaProblem.Corrupt, "Media.Error.Corrupt"), written);
        }
        if ((long)width * height > limits.MaxPixels)
        {
            return (Refuse(MediaProblem.TooManyPixels, "Media.Error.TooManyPixels", width, height, Megapixels(width * (long)height), Megapixels(limits.MaxPixels)), written);
        }
        if (orientation is >= 5 and <= 8)
        {
            // Rotated a quarter turn: the picture readers see is the other way round.
            (width, height) = (height, width);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var folder = RenditionPlan.RenditionsFolder(sha256);
        var fallbackWidth = RenditionPlan.FallbackWidth(width);
        var fallbackPath = RenditionPlan.WidthPath(folder, fallbackWidth, ImageFormat.Jpeg);
        var originalPath = $"{sha256[..2]}/{sha256}.{OriginalExtension(contentType)}";

        try
        {
            await StoreFilesAsync(bytes, width, height, fallbackWidth, fallbackPath, originalPath, written, cancellationToken);
        }
        catch (MediaStoreException)
        {
            return (Refuse(MediaProblem.StoreUnavailable, "Media.Error.StoreUnavailable"), written);
        }
        catch (VipsException exception)
        {
            LogUnreadable(logger, contentType, exception.Message);
            return contentType == "image/heic"
                ? (Refuse(MediaProblem.HeicUnsupported, "Media.Error.HeicUnsupported"), written)
                : (Refuse(MediaProblem.Corrupt, "Media.Error.Corrupt"), written);
        }

        var embedded = EmbeddedCaptions.Read(bytes);
        var asset = new MediaAsset
        {
            FileName = fallbackPath,
            ContentType = contentType,
            Width = width,
            Height = height,
            Credit = credit.Length > 0 ? credit : embedded.Credit ?? "",
            Caption = caption.Length > 0 ? caption : embedded.Caption ?? "",
            Alt = alt.Length > 0 ? alt : embedded.Alt ?? "",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Name = CleanName(upload.FileName),
            Sha256 = sha256,
            OriginalPath = originalPath,
            RenditionsPending = true,
        };
        asset.SetFocalPoint(upload.FocalX ?? 0.5, upload.FocalY ?? 0.5);
        return (new MediaIngestResult(asset, null, null), written);
    }

    /// <summary>
    /// Keeps the original and makes the fallback rendition, unless an identical upload did before.
    /// Decoding the whole picture here is the check that it is not truncated or corrupt; the same
    /// bytes always give the same answer, so a file seen before is not decoded again.
    /// </summary>
    private async Task StoreFilesAsync(byte[] bytes, int width, int height, int fallbackWidth, string fallbackPath, string originalPath, List<(MediaArea, string)> written, CancellationToken cancellationToken)
    {
        if (await store.ExistsAsync(MediaArea.Public, fallbackPath, cancellationToken)
            && await store.ExistsAsync(MediaArea.Original, originalPath, cancellationToken))
        {
            return;
        }
        byte[] fallback;
        using (var image = RenditionEncoder.Decode(bytes, fallbackWidth, RenditionPlan.HeightFor(width, height, fallbackWidth)))
        {
            fallback = RenditionEncoder.Encode(image, ImageFormat.Jpeg);
        }
        try
        {
            await SaveNewAsync(MediaArea.Original, originalPath, bytes, written, cancellationToken);
            await SaveNewAsync(MediaArea.Public, fallbackPath, fallback, written, cancellationToken);
        }
        catch
        {
            await DiscardAsync(written);
            written.Clear();
            throw;
        }
    }

    private readonly record struct Sniffed(string? ContentType, MediaIngestResult? Refusal);

    /// <summary>The type from the bytes, as libvips's own loaders recognise them; only our formats pass.</summary>
    private Sniffed Sniff(byte[] bytes)
    {
        string? loader;
        try
        {
            loader = Image.FindLoadBuffer(bytes);
        }
        catch (VipsException)
        {
            loader = null;
        }
        string? type = loader switch
        {
            null or "" => null,
            _ when loader.StartsWith("VipsForeignLoadJpeg", StringComparison.Ordinal) => "image/jpeg",
            _ when loader.StartsWith("VipsForeignLoadPng", StringComparison.Ordinal) => "image/png",
            _ when loader.StartsWith("VipsForeignLoadWebp", StringComparison.Ordinal) => "image/webp",
            _ when loader.StartsWith("VipsForeignLoadHeif", StringComparison.Ordinal) => "image/heif",
            _ when loader.StartsWith("VipsForeignLoadNsgif", StringComparison.Ordinal) => "image/gif",
            _ => null,
        };
        if (type is not null)
        {
            return new Sniffed(type, null);
        }
        if (loader is { Length: > 0 })
        {
            var format = loader.Replace("VipsForeignLoad", "", StringComparison.Ordinal).Replace("Buffer", "", StringComparison.Ordinal).ToUpperInvariant();
            return new Sniffed(null, Refuse(MediaProblem.UnsupportedFormat, "Media.Error.UnsupportedFormat", format));
        }
        var guess = LooksLike(bytes);
        return guess switch
        {
            "pdf" => new Sniffed(null, Refuse(MediaProblem.NotAnImage, "Media.Error.NotAnImage.Pdf")),
            "svg" => new Sniffed(null, Refuse(MediaProblem.NotAnImage, "Media.Error.NotAnImage.Svg")),
            "text" => new Sniffed(null, Refuse(MediaProblem.NotAnImage, "Media.Error.NotAnImage.Text")),
            null => new Sniffed(null, Refuse(MediaProblem.NotAnImage, "Media.Error.NotAnImage")),
            // An image format we do not take (libvips's loaders for it are blocked): name it.
            _ => new Sniffed(null, Refuse(MediaProblem.UnsupportedFormat, "Media.Error.UnsupportedFormat", guess)),
        };
    }

    /// <summary>A guess at what a refused file is, only to make the message useful.</summary>
    private static string? LooksLike(byte[] bytes)
    {
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, 1024));
        if (head.StartsWith("%PDF-"u8))
        {
            return "pdf";
        }
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8))
        {
            return "TIFF";
        }
        if (head.StartsWith("BM"u8))
        {
            return "BMP";
        }
        if (head.StartsWith("8BPS"u8))
        {
            return "PSD";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']))
        {
            return "JPEG XL";
        }
        if (head.IndexOf("<svg"u8) >= 0)
        {
            return "svg";
        }
        foreach (var b in head)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20))
            {
                return null;
            }
        }
        return "text";
    }

    /// <summary>Reads the upload, giving up (null) as soon as it passes the limit: a huge body is never buffered whole.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            var length = content.Length - content.Position;
            if (length > maxBytes)
            {
                return null;
            }
            // A file or a buffered form field: one array of the right size, not a growing buffer and its copy.
            var exact = new byte[length];
            await content.ReadExactlyAsync(exact, cancellationToken);
            return await content.ReadAsync(new byte[1], cancellationToken) == 0 ? exact : null;
        }
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private async Task SaveNewAsync(MediaArea area, string path, byte[] bytes, List<(MediaArea, string)> written, CancellationToken cancellationToken)
    {
        if (await store.ExistsAsync(area, path, cancellationToken))
        {
            return;
        }
        await store.SaveAsync(area, path, bytes, cancellationToken);
        written.Add((area, path));
    }

    /// <summary>Removes what this upload wrote (never files an earlier identical upload owns).</summary>
    private async Task DiscardAsync(List<(MediaArea Area, string Path)> written)
    {
        foreach (var (area, path) in written)
        {
            try
            {
                await store.DeleteAsync(area, path, CancellationToken.None);
            }
            catch (IOException exception)
            {
                LogDiscardFailed(logger, path, exception);
            }
        }
    }

    /// <summary>
    /// The size refusal, for a caller that stopped reading before the ingest could (a request body
    /// over the server's limit): the same message as when the ingest counts the bytes itself.
    /// </summary>
    public MediaIngestResult TooLarge() =>
        Refuse(MediaProblem.TooLarge, "Media.Error.TooLarge", Megabytes(options.Value.MaxBytes));

    /// <summary>The refusal of a form sent without a file.</summary>
    public MediaIngestResult NoFile() => Refuse(MediaProblem.NoFile, "Media.Error.NoFile");

    private MediaIngestResult Refuse(MediaProblem problem, string key, params object[] arguments) =>
        MediaIngestResult.Refused(problem, text[key, arguments].Value);

    private static string OriginalExtension(string contentType) => contentType switch
    {
        "image/png" => "png",
        "image/webp" => "webp",
        "image/avif" => "avif",
        "image/heic" => "heic",
        "image/gif" => "gif",
        _ => "jpg",
    };

    private static string CleanName(string? fileName)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        return name.Length <= NameLength ? name : name[..NameLength];
    }

    private static string Megabytes(long bytes) => (bytes / (1024d * 1024d)).ToString("0.#", System.Globalization.CultureInfo.CurrentCulture);

    private static string Megapixels(long pixels) => (pixels / 1_000_000d).ToString("0.#", System.Globalization.CultureInfo.CurrentCulture);

    [LoggerMessage(LogLevel.Information, "Medium {Id} ingested ({ContentType}, {Width}×{Height}).")]
    private static partial void LogIngested(ILogger logger, int id, string contentType, int width, int height);

    [LoggerMessage(LogLevel.Information, "An upload of type {ContentType} could not be decoded: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string contentType, string reason);

    [LoggerMessage(LogLevel.Warning, "Could not remove {Path} after a failed upload.")]
    private static partial void LogDiscardFailed(ILogger logger, string path, Exception exception);
}
