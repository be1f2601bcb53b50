using System.Globalization;

namespace Kiosque;

/// <summary>The <c>Kiosque</c> configuration section (appsettings, <c>Kiosque__X</c> environment variables, <c>--Kiosque:X=</c>).</summary>
public sealed class KiosqueOptions
{
    public const string Section = "Kiosque";

    /// <summary>Database file, media and indexes. Relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Seed the demo newsroom into an empty database; a database with content is never touched.</summary>
    public bool Demo { get; set; }

    public string SiteName { get; set; } = "Le Courrier du Delta";

    /// <summary>Public base URL (e.g. https://example.org) for canonical links; the request's own host when empty.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The UI language of the reader site: <c>fr</c> (default) or <c>en</c>.</summary>
    public string Culture { get; set; } = "fr";

    /// <summary>The newsroom's time zone, in which dates are shown to readers.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    public int PageSize { get; set; } = 12;

    /// <summary>Serve public pages from the page cache (see docs/architecture.md); false renders every request.</summary>
    public bool OutputCache { get; set; } = true;

    /// <summary>Memory the page cache may hold, in megabytes; least recently served pages go first.</summary>
    public int PageCacheMegabytes { get; set; } = 32;

    /// <summary>
    /// Read the search index through memory-mapped files instead of positioned reads: searches cost
    /// less CPU, but the server's memory grows with the pages it serves (docs/performance.md, "Memory").
    /// </summary>
    public bool SearchMemoryMapped { get; set; }

    /// <summary>Seconds a cached page lives when no change evicts it sooner (a safety net).</summary>
    public int PageCacheLifetime { get; set; } = 3600;

    /// <summary>The <c>max-age</c>, in seconds, that browsers and fronts get for pages.</summary>
    public int PageMaxAge { get; set; } = 10;

    /// <summary>
    /// Cookie name prefixes that mark a signed-in person of another system in front of the site (a
    /// paywall), whose requests bypass the cache; none by default. The newsroom's own session is
    /// recognised by checking its cookie, never by a name alone.
    /// </summary>
    public string[]? PrivateCookies { get; set; }

    /// <summary>A Varnish or nginx front to tell about changes: each gets a PURGE with the evicted tags (xkey-purge, Surrogate-Key).</summary>
    public string? PurgeUrl { get; set; }

    /// <summary>
    /// Mark newsroom cookies <c>Secure</c> whatever the scheme the request came with (behind a
    /// proxy that terminates TLS the application sees HTTP). Null: yes when <see cref="PublicUrl"/>
    /// is an https address, outside Development; otherwise as the request came (the demo on
    /// http://localhost).
    /// </summary>
    public bool? SecureCookies { get; set; }

    /// <summary>
    /// Addresses of the reverse proxies (nginx, a load balancer) whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> headers are believed; empty means the local machine only.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public string MediaDirectory => Path.Combine(FullDataDirectory, "media");

    public CultureInfo CultureInfo => CultureInfo.GetCultureInfo(Culture);

    public TimeZoneInfo TimeZoneInfo => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
