using NetVips;

namespace Kiosque.Media;

/// <summary>
/// Process-wide libvips settings, applied once before the first image is touched: only the
/// loaders of the formats we accept can run on uploaded bytes, and the operation cache (useless
/// for one-shot renditions) does not hold decoded pictures in memory.
/// </summary>
public static class Vips
{
    /// <summary>The loader classes allowed on uploads, and the type each one means.</summary>
    private static readonly string[] AllowedLoaders =
    [
        "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif", "VipsForeignLoadNsgif",
    ];

    private static readonly Lazy<bool> Setup = new(() =>
    {
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        // Defence in depth behind the content check in MediaIngest: SVG, PDF, TIFF and every other
        // loader libvips ships cannot be reached even by mistake.
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaders)
        {
            Operation.Block(loader, false);
        }
        // libvips reports decoding trouble as GLib warnings on stderr; ingest turns failures into
        // clear errors, so the raw warnings would only be noise in the logs and the CLI.
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, (_, _, _) => { });
        return true;
    });

    public static void EnsureInitialised() => _ = Setup.Value;
}
