using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>What every newsroom handler shares: rendering, the notices after a redirect, the request filters.</summary>
public static class NewsroomPages
{
    public static RazorComponentResult Render<TComponent>(object parameters, int statusCode = StatusCodes.Status200OK)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TComponent>(parameters) { StatusCode = statusCode, PreventStreamingRendering = true };

    /// <summary>A page that only says something (refused, not found, expired form).</summary>
    public static RazorComponentResult Message(HttpContext http, string title, string message, int statusCode)
    {
        var chrome = new NewsroomChrome(title, Staff.Of(http.User));
        return Render<MessageView>(new { Chrome = chrome, Message = message }, statusCode);
    }

    public static IResult Forbidden(HttpContext http)
    {
        var text = Text(http);
        return Message(http, text["Newsroom.Forbidden.Title"], text["Newsroom.Forbidden"], StatusCodes.Status403Forbidden);
    }

    public static IResult NotFound(HttpContext http)
    {
        var text = Text(http);
        return Message(http, text["Newsroom.NotFound.Title"], text["Newsroom.NotFound"], StatusCodes.Status404NotFound);
    }

    /// <summary>The notice named in <c>?ok=</c> after a post-redirect-get, from the resource files only (never echoed).</summary>
    public static string? Notice(HttpContext http)
    {
        var key = http.Request.Query["ok"].ToString();
        if (key.Length is 0 or > 40 || !key.All(c => char.IsAsciiLetter(c) || c == '-'))
        {
            return null;
        }
        var text = Text(http)["Newsroom.Notice." + key];
        return text.ResourceNotFound ? null : text.Value;
    }

    public static IStringLocalizer<SharedResource> Text(HttpContext http) =>
        http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    /// <summary>
    /// Only local addresses under the newsroom: a sign-in link cannot send anyone elsewhere. No
    /// control characters either: a line break cannot go into a Location header (Kestrel would
    /// answer 500), and no real newsroom address has one.
    /// </summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 2000 && url.StartsWith("/newsroom", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) && !url.Any(char.IsControl)
            ? url
            : "/newsroom";

    /// <summary>
    /// Every state-changing newsroom request carries a valid antiforgery token (form field or
    /// header), or is refused with a clear message before the handler runs.
    /// </summary>
    public static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return CsrfRefusal(http);
                }
            }
            return await next(context);
        }
        catch (Exception exception) when (!http.Response.HasStarted
            && exception is InvalidDataException or AntiforgeryValidationException { InnerException: InvalidDataException })
        {
            // A form past ASP.NET Core's limits (a field over 4 MB, too many fields): whoever reads
            // it first throws (the token check wraps it in its own exception, the handler does not);
            // the person gets why, not a 500.
            return FormTooLarge(http);
        }
    }

    /// <summary>413, with what to do about it (a page, or JSON for the autosave).</summary>
    public static IResult FormTooLarge(HttpContext http)
    {
        var text = Text(http);
        if (NewsroomServices.IsScriptRequest(http.Request))
        {
            return Results.Json(new { error = text["Newsroom.FormTooLarge"].Value }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        return Message(http, text["Newsroom.FormTooLarge.Title"], text["Newsroom.FormTooLarge"], StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>What a request without a valid antiforgery token gets (a page, or JSON for scripts).</summary>
    public static IResult CsrfRefusal(HttpContext http)
    {
        var text = Text(http);
        if (NewsroomServices.IsScriptRequest(http.Request))
        {
            return Results.Json(new { error = text["Newsroom.Csrf"].Value }, statusCode: StatusCodes.Status400BadRequest);
        }
        return Message(http, text["Newsroom.Csrf.Title"], text["Newsroom.Csrf"], StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// Newsroom pages are private and never framed: no cache keeps them, no other site can
    /// put them in a frame, and scripts come from this site only (Editor.js needs inline styles).
    /// The cache headers are the ones antiforgery writes on a page with a token: set here first, a
    /// form finds nothing to override (it used to, with a warning logged on every page view), and
    /// pages with and without a form send the same.
    /// </summary>
    public static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
        return await next(context);
    }

    /// <summary>When an administrator made two-factor mandatory, an account without it can only reach its own settings.</summary>
    public static async ValueTask<object?> RequireTwoFactorWhenMandatory(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith("/newsroom/compte", StringComparison.Ordinal)
            && !path.StartsWith("/newsroom/deconnexion", StringComparison.Ordinal)
            && await LacksMandatoryTwoFactorAsync(http))
        {
            return TwoFactorRefusal(http);
        }
        return await next(context);
    }

    /// <summary>A signed-in account without two-factor while an administrator makes it mandatory.</summary>
    public static async Task<bool> LacksMandatoryTwoFactorAsync(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
        && http.User.FindFirst(StaffClaimsFactory.TwoFactorClaim)?.Value != "true"
        && await http.RequestServices.GetRequiredService<Accounts>().TwoFactorRequiredAsync(http.RequestAborted);

    /// <summary>Where such an account is sent: its settings, to turn two-factor on (scripts get a status).</summary>
    public static IResult TwoFactorRefusal(HttpContext http) =>
        NewsroomServices.IsScriptRequest(http.Request)
            ? Results.StatusCode(StatusCodes.Status403Forbidden)
            : Results.Redirect("/newsroom/compte?ok=two-factor-required");
}
