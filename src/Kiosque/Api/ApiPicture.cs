using Kiosque.Media;
using Kiosque.Site;

namespace Kiosque.Api;

/// <summary>
/// A picture with the files a client may choose from: the plain JPEG (<see cref="Url"/>), once the
/// background worker has made them every width in AVIF, WebP and JPEG, and the crops around the
/// editor's focal point. Rendition URLs carry a hash of their content: they never change.
/// </summary>
public sealed record ApiPicture(
    int Id,
    string Url,
    int Width,
    int Height,
    string Alt,
    string Caption,
    string Credit,
    IReadOnlyList<ApiRendition> Renditions,
    IReadOnlyList<ApiCrop> Crops)
{
    public static ApiPicture From(int id, MediaRef media, Func<string, string> absolute)
    {
        var source = Picture.Source(media);
        var renditions = new List<ApiRendition>();
        if (media.RenditionsPath is { } folder)
        {
            foreach (var format in new[] { ImageFormat.Avif, ImageFormat.Webp, ImageFormat.Jpeg })
            {
                foreach (var width in RenditionPlan.Widths(media.Width))
                {
                    renditions.Add(new ApiRendition(absolute(SiteFormat.MediaPath(RenditionPlan.WidthPath(folder, width, format))), RenditionPlan.MimeType(format),
                        width, RenditionPlan.HeightFor(media.Width, media.Height, width)));
                }
            }
        }
        var crops = new List<ApiCrop>();
        if (media.CropsPath is { } prefix)
        {
            foreach (var ratio in CropRatio.All)
            {
                var (width, height) = RenditionPlan.CropSize(media.Width, media.Height, ratio);
                crops.Add(new ApiCrop(ratio.Name, absolute(SiteFormat.MediaPath(RenditionPlan.CropPath(prefix, ratio))), width, height));
            }
        }
        return new ApiPicture(id, absolute(source.Url), source.Width, source.Height, media.Alt, media.Caption, media.Credit, renditions, crops);
    }
}

public sealed record ApiRendition(string Url, string Type, int Width, int Height);

/// <summary>A crop around the focal point; <see cref="Ratio"/> is <c>16x9</c>, <c>4x3</c> or <c>1x1</c>.</summary>
public sealed record ApiCrop(string Ratio, string Url, int Width, int Height);
