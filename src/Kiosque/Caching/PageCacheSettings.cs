using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
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
        PrivateCookies = options.PrivateCookies ?? [];
        PublicOrigin = Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var publicUrl) ? publicUrl.GetLeftPart(UriPartial.Authority) : null;
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

    /// <summary>
    /// <c>Kiosque:PublicUrl</c>'s scheme and host, which every absolute link on a page follows:
    /// pages are keyed on it, not on the request's Host header, which anyone can vary at will to
    /// fill the cache with copies. Null when unset (links then follow the request's own host).
    /// </summary>
    public string? PublicOrigin { get; }

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
    /// A request from someone whose page may differ from everyone else's: an Authorization header,
    /// an authenticated user, a newsroom session cookie that really opens a session, or a cookie
    /// an operator listed in <c>Kiosque:PrivateCookies</c> (a paywall's, say). Any other cookie is
    /// ignored: a made-up <c>kiosque.x=1</c> must not let anyone skip the cache at will, so our own
    /// session cookie is checked (its signature first, then the account) rather than trusted by name.
    /// The newsroom cookie is limited to <c>/newsroom</c>, so browsers do not send it here: only a
    /// hand-made request carries it to a reader page.
    /// </summary>
    public static async ValueTask<bool> IsPersonalAsync(HttpContext http, PageCacheSettings settings)
    {
        var request = http.Request;
        if (request.Headers.ContainsKey(HeaderNames.Authorization) || http.User.Identity?.IsAuthenticated == true)
        {
            return true;
        }
        if (request.Headers.Cookie.Count == 0)
        {
            return false;
        }
        foreach (var name in request.Cookies.Keys)
        {
            foreach (var prefix in settings.PrivateCookies)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return request.Cookies.ContainsKey(Newsroom.NewsroomServices.SessionCookie)
            && (await http.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Succeeded;
    }
}
