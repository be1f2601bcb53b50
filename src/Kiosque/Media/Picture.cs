using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosque.Site;

namespace Kiosque.Media;

public enum PictureLoading
{
    /// <summary>Below the fold: fetched when the reader scrolls near it.</summary>
    Lazy,

    /// <summary>Above the fold, but not the main picture.</summary>
    Eager,

    /// <summary>The page's main picture (hero, lead story): fetched first.</summary>
    Priority,
}

/// <summary>A picture file for a social card or JSON-LD, relative to <c>/media</c>.</summary>
public sealed record SocialImage(string Path, int Width, int Height)
{
    public string Url => SiteFormat.MediaPath(Path);
}

/// <summary>
/// The <c>&lt;picture&gt;</c> markup of a medium: AVIF and WebP sources, then a JPEG
/// <c>&lt;img&gt;</c> with <c>srcset</c>, <c>sizes</c>, <c>width</c> and <c>height</c> (so nothing
/// jumps while it loads). Until the background worker has made the renditions, only the JPEG made
/// at upload is offered; pages never wait.
/// </summary>
public static class Picture
{
    // How wide each kind of picture is drawn (see site.css), so browsers fetch the smallest file that fills it.
    public const string HeroSizes = "(min-width: 50rem) 52rem, calc(100vw - 2rem)";
    public const string BodySizes = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";
    public const string LeadCardSizes = "(min-width: 72rem) 42rem, (min-width: 50rem) 58vw, calc(100vw - 2rem)";
    public const string CardSizes = "(min-width: 72rem) 17rem, (min-width: 50rem) 33vw, (min-width: 34rem) 50vw, calc(100vw - 2rem)";
    public const string ListCardSizes = "(max-width: 30rem) calc(100vw - 2rem), 16rem";
    public const string PortraitSizes = "6rem";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Markup(MediaRef media, string alt, string sizes, PictureLoading loading, string? cssClass = null)
    {
        var html = new StringBuilder(1024);
        Append(html, media, alt, sizes, loading, cssClass);
        return html.ToString();
    }

    public static void Append(StringBuilder html, MediaRef media, string alt, string sizes, PictureLoading loading, string? cssClass = null)
    {
        var src = Source(media);
        html.Append("<picture>");
        if (media.RenditionsPath is { } folder)
        {
            var widths = RenditionPlan.Widths(media.Width);
            AppendSource(html, folder, widths, ImageFormat.Avif, sizes);
            AppendSource(html, folder, widths, ImageFormat.Webp, sizes);
        }
        html.Append("<img");
        if (cssClass is not null)
        {
            html.Append(" class=\"").Append(Html.Encode(cssClass)).Append('"');
        }
        html.Append(" src=\"").Append(Html.Encode(src.Url)).Append('"');
        if (media.RenditionsPath is { } jpegFolder)
        {
            html.Append(" srcset=\"").Append(SrcSet(jpegFolder, RenditionPlan.Widths(media.Width), ImageFormat.Jpeg))
                .Append("\" sizes=\"").Append(sizes).Append('"');
        }
        html.Append(" width=\"").Append(src.Width).Append("\" height=\"").Append(src.Height)
            .Append("\" alt=\"").Append(Html.Encode(alt)).Append('"');
        html.Append(loading switch
        {
            PictureLoading.Lazy => " loading=\"lazy\" decoding=\"async\"",
            PictureLoading.Priority => " fetchpriority=\"high\"",
            _ => "",
        });
        html.Append("></picture>");
    }

    /// <summary>The plain JPEG: the one made at upload (or, for media older than ingest, the file itself).</summary>
    public static SocialImage Source(MediaRef media)
    {
        if (media.RenditionsPath is { } folder)
        {
            var width = RenditionPlan.FallbackWidth(media.Width);
            return new SocialImage(RenditionPlan.WidthPath(folder, width, ImageFormat.Jpeg), width, RenditionPlan.HeightFor(media.Width, media.Height, width));
        }
        if (RenditionPlan.IsRenditionPath(media.FileName))
        {
            var width = RenditionPlan.FallbackWidth(media.Width);
            return new SocialImage(media.FileName, width, RenditionPlan.HeightFor(media.Width, media.Height, width));
        }
        return new SocialImage(media.FileName, media.Width, media.Height);
    }

    /// <summary>The 16:9 crop around the focal point for <c>og:image</c>; the plain JPEG until the crops exist.</summary>
    public static SocialImage Card(MediaRef media) => Crop(media, CropRatio.Wide) ?? Source(media);

    /// <summary>The 16:9, 4:3 and 1:1 crops, the set search engines ask NewsArticle images for; the plain JPEG until they exist.</summary>
    public static IReadOnlyList<SocialImage> StructuredData(MediaRef media) =>
        media.CropsPath is null ? [Source(media)] : CropRatio.All.Select(r => Crop(media, r)!).ToList();

    private static SocialImage? Crop(MediaRef media, CropRatio ratio)
    {
        if (media.CropsPath is not { } prefix)
        {
            return null;
        }
        var (width, height) = RenditionPlan.CropSize(media.Width, media.Height, ratio);
        return new SocialImage(RenditionPlan.CropPath(prefix, ratio), width, height);
    }

    private static void AppendSource(StringBuilder html, string folder, IReadOnlyList<int> widths, ImageFormat format, string sizes) =>
        html.Append("<source type=\"").Append(RenditionPlan.MimeType(format)).Append("\" srcset=\"")
            .Append(SrcSet(folder, widths, format)).Append("\" sizes=\"").Append(sizes).Append("\">");

    private static string SrcSet(string folder, IReadOnlyList<int> widths, ImageFormat format) =>
        string.Join(", ", widths.Select(w => $"{Html.Encode(SiteFormat.MediaPath(RenditionPlan.WidthPath(folder, w, format)))} {w}w"));
}
