using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Media;

/// <summary>
/// An upload form (multipart: a <c>file</c> and text fields), read as it streams in. Unlike
/// <c>ReadFormAsync</c>, which throws away every field when the body turns out too large, this keeps
/// the fields read so far and stops buffering the file one byte past the limit, so the newsroom can
/// show the form again with what was typed and the ingest's own "too large" message.
/// </summary>
public sealed class MediaUploadForm
{
    /// <summary>Room for the text fields, the antiforgery token and the multipart framing around the file.</summary>
    public const long FormOverhead = 1024 * 1024;

    private const int FieldLimit = 16 * 1024;

    private readonly Dictionary<string, StringValues> _fields = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file's bytes, when one was sent and fitted the limit.</summary>
    public byte[]? File { get; private set; }

    public string? FileName { get; private set; }

    /// <summary>The file, or the request as a whole, went over the limit: the ingest's size refusal applies.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>The body was not a form this endpoint understands (broken multipart framing).</summary>
    public bool Malformed { get; private set; }

    public string this[string name] => _fields.TryGetValue(name, out var value) ? value.ToString() : "";

    /// <summary>The text fields, for <c>HttpRequest.Form</c>, where the antiforgery check reads its token.</summary>
    public FormCollection Fields => new(new Dictionary<string, StringValues>(_fields, StringComparer.OrdinalIgnoreCase));

    /// <summary>The request body limit for an upload endpoint: the largest file plus the form around it.</summary>
    public static long RequestLimit(MediaOptions options) => options.MaxBytes + FormOverhead;

    public static async Task<MediaUploadForm> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var form = new MediaUploadForm();
        try
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                // A form without a file input (or a script's urlencoded post): small, read as usual.
                if (request.HasFormContentType)
                {
                    foreach (var (key, value) in await request.ReadFormAsync(cancellationToken))
                    {
                        form._fields[key] = value;
                    }
                }
                return form;
            }
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                form.Malformed = true;
                return form;
            }
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = FieldLimit, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    // One file per form; anything else is skipped (drained by the next section read).
                    if (name == "file" && form.File is null && !form.TooLarge)
                    {
                        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                        fileName = string.IsNullOrEmpty(fileName) ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : fileName;
                        var bytes = await ReadAtMostAsync(section.Body, maxBytes, cancellationToken);
                        if (bytes is null)
                        {
                            form.TooLarge = true;
                        }
                        else if (bytes.Length > 0 || !string.IsNullOrEmpty(fileName))
                        {
                            // A browser sends an empty part with no name when no file was chosen: that is "no file", not "empty file".
                            (form.File, form.FileName) = (bytes, fileName);
                        }
                    }
                    continue;
                }
                var text = await ReadAtMostAsync(section.Body, FieldLimit, cancellationToken);
                if (text is not null)
                {
                    form._fields[name] = StringValues.Concat(form._fields.GetValueOrDefault(name), Encoding.UTF8.GetString(text));
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's limit for this endpoint (Kestrel's MaxRequestBodySize) was reached while
            // reading: the client is told the same as for a file over the media limit.
            form.TooLarge = true;
        }
        catch (InvalidDataException)
        {
            form.Malformed = true;
        }
        return form;
    }

    /// <summary>The section's bytes, or null (stopping there) once there are more than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
