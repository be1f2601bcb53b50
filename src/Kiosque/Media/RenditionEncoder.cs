using NetVips;

namespace Kiosque.Media;

/// <summary>
/// Encodes a decoded picture for readers. Every save keeps nothing but pixels
/// (<see cref="Enums.ForeignKeep.None"/>): no EXIF, GPS, XMP, IPTC, maker notes, embedded
/// thumbnail or ICC profile. The pixels were turned into sRGB and upright beforehand, which is
/// what browsers assume of an untagged picture.
/// </summary>
public static class RenditionEncoder
{
    private static readonly double[] White = [255, 255, 255];

    /// <summary>
    /// Decodes an upload to exactly this size (after its orientation is applied), in sRGB, failing on
    /// truncated or corrupt data. Only a picture that carries a colour profile is colour-managed:
    /// that transform costs ten times the rest, and an untagged picture is already taken as sRGB.
    /// </summary>
    public static Image Decode(byte[] bytes, int width, int height)
    {
        bool tagged;
        using (var header = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential))
        {
            tagged = header.Contains("icc-profile-data");
        }
        return Image.ThumbnailBuffer(bytes, width, height: height, size: Enums.Size.Force,
            outputProfile: tagged ? "srgb" : null, optionString: "fail_on=error");
    }

    public static byte[] Encode(Image image, ImageFormat format)
    {
        var ready = ToSrgb8(image);
        try
        {
            switch (format)
            {
                case ImageFormat.Avif:
                    return ready.HeifsaveBuffer(q: RenditionPlan.AvifQuality, effort: RenditionPlan.AvifEffort, bitdepth: 8,
                        compression: Enums.ForeignHeifCompression.Av1, keep: Enums.ForeignKeep.None);
                case ImageFormat.Webp:
                    return ready.WebpsaveBuffer(q: RenditionPlan.WebpQuality, effort: RenditionPlan.WebpEffort, keep: Enums.ForeignKeep.None);
                default:
                    // JPEG has no transparency: transparent areas become white, as on the page.
                    using (var flat = ready.HasAlpha() ? ready.Flatten(background: White) : ready.Copy())
                    {
                        return flat.JpegsaveBuffer(q: RenditionPlan.JpegQuality, optimizeCoding: true, interlace: true, keep: Enums.ForeignKeep.None);
                    }
            }
        }
        finally
        {
            if (!ReferenceEquals(ready, image))
            {
                ready.Dispose();
            }
        }
    }

    private static Image ToSrgb8(Image image)
    {
        var result = image;
        if (result.Interpretation != Enums.Interpretation.Srgb)
        {
            result = result.Colourspace(Enums.Interpretation.Srgb);
        }
        if (result.Format != Enums.BandFormat.Uchar)
        {
            var cast = result.Cast(Enums.BandFormat.Uchar);
            if (!ReferenceEquals(result, image))
            {
                result.Dispose();
            }
            result = cast;
        }
        return result;
    }
}
