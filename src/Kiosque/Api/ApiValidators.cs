using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Api;

/// <summary>
/// A strong ETag (a hash of the JSON body) on every successful answer, and 304 when the client's
/// <c>If-None-Match</c> names it. Made the way the page cache makes its own (the first 12 bytes of
/// SHA-256, base64url), so an answer has the same tag whether it was rendered or served from the
/// cache. Endpoints whose answers the cache does not store (search, changes) get their 304s here.
/// </summary>
public static class ApiValidators
{
    public static async ValueTask<object?> ETag(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        // A handler's Results<…> union holds the result it chose.
        var chosen = result is INestedHttpResult nested ? nested.Result : result;
        if (chosen is not (IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }))
        {
            return result;
        }
        var http = context.HttpContext;
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
        var etag = $"\"{Convert.ToBase64String(SHA256.HashData(body)[..12]).Replace('+', '-').Replace('/', '_')}\"";
        http.Response.Headers.ETag = etag;
        if (Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    /// <summary>
    /// Each content coding is a representation of its own (RFC 9110), so a body that response
    /// compression sends as Brotli or gzip gets the tag the page cache gives such a copy
    /// (<c>"hash-br"</c>, <c>"hash-gz"</c>). Covers what the compressor squeezes on its way out:
    /// answers the page cache does not store, and those it stores uncompressed (under 1 KB).
    /// </summary>
    public static Task TagEncodedCopies(HttpContext http, RequestDelegate next)
    {
        // The copies of one content are interchangeable for revalidation: a client holding the
        // Brotli copy's tag gets its 304 even when the answer would now be sent another way.
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Contains("-br\"", StringComparison.Ordinal) || ifNoneMatch.Contains("-gz\"", StringComparison.Ordinal))
        {
            var tags = ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t)
                .Select(t => t.EndsWith("-br\"", StringComparison.Ordinal) || t.EndsWith("-gz\"", StringComparison.Ordinal) ? t[..^4] + "\"" : t)
                .SelectMany(t => t.Length < 2 ? [t] : new[] { t, t[..^1] + "-br\"", t[..^1] + "-gz\"" })
                .Distinct();
            http.Request.Headers.IfNoneMatch = string.Join(", ", tags);
        }
        http.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            var coding = headers.ContentEncoding.ToString();
            var etag = headers.ETag.ToString();
            if (coding is "br" or "gzip" && etag.Length > 2 && !etag.EndsWith("-br\"", StringComparison.Ordinal) && !etag.EndsWith("-gz\"", StringComparison.Ordinal))
            {
                headers.ETag = string.Concat(etag.AsSpan(0, etag.Length - 1), coding == "br" ? "-br\"" : "-gz\"");
            }
            return Task.CompletedTask;
        }, http);
        return next(http);
    }

    /// <summary>Weak comparison, as RFC 9110 asks for <c>If-None-Match</c>; a compressed copy's tag (<c>-br</c>, <c>-gz</c>) names the same content.</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        var bare = etag.AsSpan(1, etag.Length - 2);
        foreach (var header in ifNoneMatch)
        {
            foreach (var item in (header ?? "").Split(','))
            {
                var candidate = item.AsSpan().Trim();
                if (candidate.StartsWith("W/", StringComparison.Ordinal))
                {
                    candidate = candidate[2..];
                }
                if (candidate.SequenceEqual("*"))
                {
                    return true;
                }
                candidate = candidate.Trim('"');
                if (candidate.EndsWith("-br", StringComparison.Ordinal) || candidate.EndsWith("-gz", StringComparison.Ordinal))
                {
                    candidate = candidate[..^3];
                }
                if (candidate.SequenceEqual(bare))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
