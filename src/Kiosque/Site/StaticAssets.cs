using Microsoft.AspNetCore.StaticAssets;

namespace Kiosque.Site;

/// <summary>
/// Fingerprinted URLs of static files, so they can be cached for a year and still change on deploy.
/// The files are served by <c>MapStaticAssets</c> from the build's manifest: each has a
/// fingerprinted route (<c>/css/site.{hash}.css</c>, <c>Cache-Control: max-age=31536000, immutable</c>)
/// and Brotli and gzip copies made at build (Kiosque.csproj), negotiated by <c>Accept-Encoding</c>.
/// </summary>
public static class StaticAssets
{
    public static string StylesheetUrl { get; private set; } = "/css/site.css";

    /// <summary>The live page's small script (progressive enhancement: the page works without it).</summary>
    public static string LiveScriptUrl { get; private set; } = "/js/live.js";

    public static void Fingerprint(IReadOnlyList<StaticAssetDescriptor> assets)
    {
        StylesheetUrl = FingerprintedUrl(assets, "css/site.css") ?? StylesheetUrl;
        LiveScriptUrl = FingerprintedUrl(assets, "js/live.js") ?? LiveScriptUrl;
    }

    /// <summary>The fingerprinted route of a wwwroot file (its identity representation), or null when the manifest has none.</summary>
    public static string? FingerprintedUrl(IReadOnlyList<StaticAssetDescriptor> assets, string path) => assets
        .Where(a => a.AssetPath == path && a.Route != path && a.Selectors.Count == 0 && a.Properties.Any(p => p.Name == "fingerprint"))
        .Select(a => "/" + a.Route)
        .FirstOrDefault();
}
