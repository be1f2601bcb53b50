using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Caching;

/// <summary>The page cache's settings, read once from <see cref="KiosqueOptions"/>.</summary>
public sealed class PageCacheSettings
{
    /// <summary>Paths that are never cached, whatever an endpoint asks: the newsroom and the admin API.</summary>
    private static readonly string[] NeverCachedPaths = ["/newsroom", "/api/admin"];

    public PageCacheSettings(KiosqueOptions options)
    {
        Enabled = options.OutputCache;
        Lifetime = TimeSpan.FromSeconds(options.PageCacheLifetime);
        BudgetBytes = (long)options.PageCacheMegabytes * 1024 * 1024;
        PrivateCookies = options.PrivateCookies ?? [".AspNetCore.", "kiosque"];
        var maxAge = options.PageMaxAge.ToString(CultureInfo.InvariantCulture);
        // Browsers and fronts may keep a page briefly, keep showing it while they fetch the new one,
        // and keep it for a day when we cannot answer: readers still get the news if the origin fails.
        PageCacheControl = $"public, max-age={maxAge}, stale-while-revalidate={options.PageMaxAge * 3}, stale-if-error=86400";
    }

    /// <summary><c>Kiosque:OutputCache</c>: false renders every request (benchmarks of the renderer, debugging).</summary>
    public bool Enabled { get; }

    /// <summary>How long an entry lives without a change evicting it: a safety net, not the freshness mechanism.</summary>
    public TimeSpan Lifetime { get; }

    public long BudgetBytes { get; }

    public IReadOnlyList<string> PrivateCookies { get; }

    public StringValues PageCacheControl { get; }

    public static bool IsNeverCached(PathString path)
    {
        foreach (var prefix in NeverCachedPaths)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A request that may be a signed-in person's: an Authorization header, an authenticated user,
    /// or a cookie whose name starts with one of <c>Kiosque:PrivateCookies</c> (by default
    /// <c>.AspNetCore.</c>, the prefix of every ASP.NET Core authentication, Identity, session and
    /// antiforgery cookie, and <c>kiosque</c>). Readers carry no cookie of ours: the site sets none.
    /// </summary>
    public bool IsPersonal(HttpRequest request)
    {
        if (request.Headers.ContainsKey(HeaderNames.Authorization) || request.HttpContext.User.Identity?.IsAuthenticated == true)
        {
            return true;
        }
        if (request.Headers.Cookie.Count == 0)
        {
            return false;
        }
        foreach (var name in request.Cookies.Keys)
        {
            foreach (var prefix in PrivateCookies)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
