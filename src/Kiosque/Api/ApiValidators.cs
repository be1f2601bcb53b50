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
