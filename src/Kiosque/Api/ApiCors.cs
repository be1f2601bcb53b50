using Microsoft.Net.Http.Headers;

namespace Kiosque.Api;

/// <summary>
/// The content API may be read from any web page: <c>Access-Control-Allow-Origin: *</c> on every
/// answer under <c>/api/v1</c> (and the OpenAPI document), set whether or not the request names an
/// origin, so a copy the page cache stored for one client is right for all. Never credentials: the
/// API is public and must not carry a reader's cookies. Reads only: a preflight allows GET and HEAD.
/// Runs before the page cache, so cached answers and 304s get the headers too.
/// </summary>
public static class ApiCors
{
    public static bool Applies(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api/v1") || http.Request.Path.StartsWithSegments("/openapi");

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        var headers = http.Response.Headers;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlAllowMethods = "GET, HEAD";
            // If-None-Match is what a client sets to revalidate by itself; nothing else is needed.
            headers.AccessControlAllowHeaders = "If-None-Match";
            headers.AccessControlMaxAge = "86400";
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlExposeHeaders = "ETag, Link";
        }
        return next(http);
    }
}
