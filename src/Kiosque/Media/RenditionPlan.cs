using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kiosque.Media;

public enum ImageFormat
{
    Avif,
    Webp,
    Jpeg,
}

/// <summary>A crop shape for social cards and search engines, made around the focal point.</summary>
public sealed record CropRatio(int A, int B)
{
    public static readonly CropRatio Wide = new(16, 9);
    public static readonly CropRatio Standard = new(4, 3);
    public static readonly CropRatio Square = new(1, 1);
    public static readonly IReadOnlyList<CropRatio> All = [Wide, Standard, Square];

    public string Name => $"{A}x{B}";
}

/// <summary>
/// What renditions a picture gets, their sizes and their names: pure arithmetic shared by the
/// worker that makes the files and the pages that point to them, so both always agree.
/// </summary>
public static class RenditionPlan
{
    /// <summary>
    /// Bumped whenever the widths, crops or encoder settings below change: it is part of every
    /// rendition URL (those are cached for a year as immutable), and the worker re-renders older media.
    /// </summary>
    public const int Version = 1;

    public static readonly IReadOnlyList<int> StandardWidths = [320, 640, 960, 1280, 1600, 1920];

    public const int MaxWidth = 1920;

    /// <summary>The JPEG made at upload, shown until the other renditions exist, and the plain <c>src</c>.</summary>
    public const int FallbackMaxWidth = 1280;

    /// <summary>Crops are for Open Graph and JSON-LD, whose consumers ask for about 1200 pixels wide.</summary>
    public const int CropMaxWidth = 1200;

    // Encoder settings (measurements in docs/performance.md). AVIF at effort 0 (libaom's fastest
    // speed) is about fifteen times faster than libvips's default effort 4, for files about 15 %
    // larger, still half the size of the JPEG; quality 50 looks like JPEG 80. WebP effort 2 is
    // about 40 % faster than the default 4 for a 3 % larger file.
    public const int JpegQuality = 80;
    public const int WebpQuality = 75;
    public const int WebpEffort = 2;
    public const int AvifQuality = 50;
    public const int AvifEffort = 0;

    /// <summary>Widths made for a picture this wide: the standard steps below it, then its own width (at most 1920). Never upscaled.</summary>
    public static IReadOnlyList<int> Widths(int width)
    {
        var top = Math.Clamp(width, 1, MaxWidth);
        // A step within 15 % of the top one would cost a file for no visible gain.
        var widths = StandardWidths.Where(w => w < top * 0.85).ToList();
        widths.Add(top);
        return widths;
    }

    public static int FallbackWidth(int width)
    {
        var widths = Widths(width);
        return widths.LastOrDefault(w => w <= FallbackMaxWidth, widths[0]);
    }

    public static int HeightFor(int width, int height, int targetWidth) =>
        Math.Max(1, (int)Math.Round((double)height * targetWidth / Math.Max(1, width), MidpointRounding.AwayFromZero));

    /// <summary>The decoded picture every rendition is cut from: the original, at most 1920 wide.</summary>
    public static (int Width, int Height) MasterSize(int width, int height)
    {
        var masterWidth = Math.Clamp(width, 1, MaxWidth);
        return (masterWidth, HeightFor(width, height, masterWidth));
    }

    /// <summary>The largest area of the master with the crop's shape, centred on the focal point as far as the edges allow.</summary>
    public static (int X, int Y, int Width, int Height) CropArea(int width, int height, CropRatio ratio, double focalX, double focalY)
    {
        var (masterWidth, masterHeight) = MasterSize(width, height);
        int areaWidth, areaHeight;
        if ((long)masterWidth * ratio.B > (long)masterHeight * ratio.A)
        {
            areaHeight = masterHeight;
            areaWidth = Math.Max(1, (int)((long)masterHeight * ratio.A / ratio.B));
        }
        else
        {
            areaWidth = masterWidth;
            areaHeight = Math.Max(1, (int)((long)masterWidth * ratio.B / ratio.A));
        }
        var x = (int)Math.Round((focalX * masterWidth) - (areaWidth / 2.0));
        var y = (int)Math.Round((focalY * masterHeight) - (areaHeight / 2.0));
        return (Math.Clamp(x, 0, masterWidth - areaWidth), Math.Clamp(y, 0, masterHeight - areaHeight), areaWidth, areaHeight);
    }

    /// <summary>The crop's file size: exactly the ratio (a multiple of it), at most 1200 wide, never upscaled beyond a minimum of one ratio unit.</summary>
    public static (int Width, int Height) CropSize(int width, int height, CropRatio ratio)
    {
        var area = CropArea(width, height, ratio, 0.5, 0.5);
        var units = Math.Max(1, Math.Min(CropMaxWidth, area.Width) / ratio.A);
        return (units * ratio.A, units * ratio.B);
    }

    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Avif => "avif",
        ImageFormat.Webp => "webp",
        _ => "jpg",
    };

    public static string MimeType(ImageFormat format) => format switch
    {
        ImageFormat.Avif => "image/avif",
        ImageFormat.Webp => "image/webp",
        _ => "image/jpeg",
    };

    /// <summary>
    /// The public folder of a picture's renditions: a hash of its content and of this plan's version,
    /// so a URL never changes meaning and can be cached forever.
    /// </summary>
    public static string RenditionsFolder(string sha256)
    {
        var key = Hash($"{sha256}|v{Version}", 20);
        return $"{RenditionsRoot}/{key[..2]}/{key}";
    }

    public static string WidthPath(string folder, int width, ImageFormat format) =>
        $"{folder}/w{width}.{Extension(format)}";

    /// <summary>Crops depend on the focal point too: moving it gives new names, never new bytes under an old name.</summary>
    public static string CropsPrefix(string folder, double focalX, double focalY) =>
        $"{folder}/c{Hash(string.Create(CultureInfo.InvariantCulture, $"{folder}|{focalX:R}|{focalY:R}"), 10)}";

    public static string CropPath(string cropsPrefix, CropRatio ratio) => $"{cropsPrefix}-{ratio.Name}.jpg";

    /// <summary>True for files under the content-addressed rendition folders (served as immutable).</summary>
    public static bool IsRenditionPath(string path) => path.StartsWith(RenditionsRoot + "/", StringComparison.Ordinal);

    /// <summary>The top folder of content-addressed renditions in the public store.</summary>
    public const string RenditionsRoot = "r";

    private static string Hash(string text, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
