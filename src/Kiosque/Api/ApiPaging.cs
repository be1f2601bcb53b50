using System.Globalization;
using System.Text;
using Kiosque.Site;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Api;

/// <summary>
/// <c>page</c> and <c>limit</c> of a list, and its links: in the body (<see cref="ApiLinks"/>) and
/// in an RFC 8288 <c>Link</c> header, built from the query keys the endpoint reads only (a tracking
/// parameter is not carried into a cached answer other clients get).
/// </summary>
public static class ApiPaging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The query keys of a plain list (sections, tags, authors): cache entries and links are made of them.</summary>
    public static readonly string[] PageKeys = ["limit", "page"];

    /// <summary>A problem with <paramref name="page"/> or <paramref name="limit"/>, or null when they are usable.</summary>
    public static string? Check(int? page, int? limit, int maxLimit = MaxLimit)
    {
        if (page is < 1)
        {
            return "page starts at 1.";
        }
        if (limit is < 1 || limit > maxLimit)
        {
            return $"limit must be between 1 and {maxLimit.ToString(CultureInfo.InvariantCulture)}.";
        }
        return null;
    }

    /// <summary>Sets the <c>Link</c> header and returns the same links for the body.</summary>
    public static ApiLinks Links(HttpContext http, SiteFormat format, ApiPagination pagination, IReadOnlyCollection<string> keys)
    {
        string Url(int page) => format.Absolute(http.Request, http.Request.Path + Query(http.Request, keys, page));
        var links = new ApiLinks(
            Url(pagination.Page),
            Url(1),
            pagination.Page > 1 ? Url(Math.Min(pagination.Page - 1, pagination.Pages)) : null,
            pagination.Page < pagination.Pages ? Url(pagination.Page + 1) : null,
            Url(pagination.Pages));
        SetLinkHeader(http, links);
        return links;
    }

    public static void SetLinkHeader(HttpContext http, ApiLinks links)
    {
        var header = new StringBuilder();
        void Add(string? url, string rel)
        {
            if (url is not null)
            {
                header.Append(header.Length == 0 ? "" : ", ").Append('<').Append(url).Append(">; rel=\"").Append(rel).Append('"');
            }
        }
        Add(links.First, "first");
        Add(links.Prev, "prev");
        Add(links.Next, "next");
        Add(links.Last, "last");
        if (header.Length > 0)
        {
            http.Response.Headers[HeaderNames.Link] = header.ToString();
        }
    }

    /// <summary>The request's values of <paramref name="keys"/>, in their order, with <c>page</c> set (left out for page 1).</summary>
    public static string Query(HttpRequest request, IEnumerable<string> keys, int? page)
    {
        var query = new StringBuilder();
        foreach (var key in keys)
        {
            if (key == "page")
            {
                if (page > 1)
                {
                    query.Append(query.Length == 0 ? '?' : '&').Append("page=").Append(page.Value.ToString(CultureInfo.InvariantCulture));
                }
                continue;
            }
            foreach (var value in request.Query[key])
            {
                if (!string.IsNullOrEmpty(value))
                {
                    query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
                }
            }
        }
        return query.ToString();
    }
}
