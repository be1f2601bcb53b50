using Microsoft.AspNetCore.Http.Features;

namespace Kiosque.Http;

/// <summary>
/// Answers <c>HEAD</c> on every <c>GET</c> route with the status and headers the <c>GET</c> would
/// get and no body (RFC 9110 §9.3.2): monitors, link checkers and some crawlers ask with
/// <c>HEAD</c>, and minimal API routes only match the methods they were mapped with, so every
/// public page answered <c>HEAD</c> with the fallback's 404. As Rack::Head does for Rails, the
/// request runs as a <c>GET</c> through the whole pipeline (routing, the page cache, static assets,
/// compression), so headers cannot drift from the <c>GET</c>'s, and the body is dropped on its way
/// out. The page cache therefore stores the full page a <c>HEAD</c> rendered (never an empty body),
/// and answers a <c>HEAD</c> from its entry. Placed before everything but forwarded headers: all after it sees a GET.
/// </summary>
public sealed class HeadRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsHead(request.Method))
        {
            await next(http);
            return;
        }
        var body = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        http.Features.Set<IHttpResponseBodyFeature>(new HeadResponseBodyFeature(body));
        request.Method = HttpMethods.Get;
        try
        {
            await next(http);
        }
        finally
        {
            // Logs and the server's own HEAD handling (no body, Content-Length kept) see the real method.
            request.Method = HttpMethods.Head;
            http.Features.Set(body);
        }
    }
}
