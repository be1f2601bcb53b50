using Microsoft.AspNetCore.Mvc;

namespace Kiosque.Api;

/// <summary>RFC 9457 problem details for the content API's errors, typed so the OpenAPI document lists them.</summary>
public static class ApiProblems
{
    public static ApiBadRequest BadRequest(HttpContext http, string detail) =>
        new(Problem(http, StatusCodes.Status400BadRequest, "The request is not valid.", detail));

    public static ApiNotFound NotFound(HttpContext http, string detail) =>
        new(Problem(http, StatusCodes.Status404NotFound, "Not found.", detail));

    public static ApiUnavailable Unavailable(HttpContext http, string detail) =>
        new(Problem(http, StatusCodes.Status503ServiceUnavailable, "Unavailable for now.", detail));

    /// <summary>/api/v1/{anything else}: a problem, not the reader site's HTML 404; 405 for any method but reads.</summary>
    public static IResult Unknown(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return NotFound(http, "There is no such endpoint in the content API (see /openapi/v1.json).");
        }
        http.Response.Headers.Allow = "GET, HEAD";
        return new ApiMethodNotAllowed(Problem(http, StatusCodes.Status405MethodNotAllowed, "Method not allowed.", "The content API is read-only."));
    }

    private static ProblemDetails Problem(HttpContext http, int status, string title, string detail) => new()
    {
        Type = status switch
        {
            StatusCodes.Status400BadRequest => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            StatusCodes.Status404NotFound => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
            StatusCodes.Status405MethodNotAllowed => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
            _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        },
        Title = title,
        Status = status,
        Detail = detail,
        Instance = http.Request.Path,
    };
}
