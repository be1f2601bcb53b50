using System.Security.Cryptography;

namespace Kiosque.Site;

/// <summary>Fingerprinted URLs of static files, so they can be cached for a year and still change on deploy.</summary>
public static class StaticAssets
{
    public static string StylesheetUrl { get; private set; } = "/css/site.css";

    public static void Fingerprint(IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("css/site.css");
        if (!file.Exists)
        {
            return;
        }
        using var stream = file.CreateReadStream();
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
        StylesheetUrl = "/css/site.css?v=" + hash;
    }
}
