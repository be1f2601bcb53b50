using System.Security.Cryptography;

namespace Kiosque.Newsroom;

/// <summary>Fingerprinted URLs of the newsroom's stylesheet and editor bundle (built by esbuild, see Kiosque.csproj).</summary>
public static class NewsroomAssets
{
    public static string StylesheetUrl { get; private set; } = "/css/newsroom.css";

    public static string EditorScriptUrl { get; private set; } = "/newsroom/editor.js";

    public static void Fingerprint(IWebHostEnvironment environment)
    {
        StylesheetUrl = Fingerprinted(environment, "css/newsroom.css") ?? StylesheetUrl;
        EditorScriptUrl = Fingerprinted(environment, "newsroom/editor.js") ?? EditorScriptUrl;
    }

    private static string? Fingerprinted(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists)
        {
            return null;
        }
        using var stream = file.CreateReadStream();
        return $"/{path}?v={Convert.ToHexStringLower(SHA256.HashData(stream))[..12]}";
    }
}
