using Kiosque.Site;
using Microsoft.AspNetCore.StaticAssets;

namespace Kiosque.Newsroom;

/// <summary>Fingerprinted URLs of the newsroom's stylesheet and editor bundle (built by esbuild, see Kiosque.csproj; served as <see cref="StaticAssets"/> are).</summary>
public static class NewsroomAssets
{
    public static string StylesheetUrl { get; private set; } = "/css/newsroom.css";

    public static string EditorScriptUrl { get; private set; } = "/newsroom/editor.js";

    public static void Fingerprint(IReadOnlyList<StaticAssetDescriptor> assets)
    {
        StylesheetUrl = StaticAssets.FingerprintedUrl(assets, "css/newsroom.css") ?? StylesheetUrl;
        EditorScriptUrl = StaticAssets.FingerprintedUrl(assets, "newsroom/editor.js") ?? EditorScriptUrl;
    }
}
