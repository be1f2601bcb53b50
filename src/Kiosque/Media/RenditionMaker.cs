using Kiosque.Content;
using NetVips;

namespace Kiosque.Media;

/// <summary>The paths a finished medium points to.</summary>
public sealed record RenditionSet(string RenditionsPath, string CropsPath, int FilesWritten);

/// <summary>
/// Makes every rendition of one medium from its private original: the widths of
/// <see cref="RenditionPlan"/> in AVIF, WebP and JPEG, and the three crops around the focal point.
/// Files that already exist are left alone: their names are content hashes, so they are right.
/// </summary>
public sealed class RenditionMaker(IMediaStore store)
{
    private static readonly ImageFormat[] Formats = [ImageFormat.Avif, ImageFormat.Webp, ImageFormat.Jpeg];

    /// <summary>How many files a full set has, for progress bars.</summary>
    public static int FileCount(MediaAsset asset) =>
        (RenditionPlan.Widths(asset.Width).Count * Formats.Length) + CropRatio.All.Count;

    public async Task<RenditionSet> MakeAsync(MediaAsset asset, Action<int>? progress, CancellationToken cancellationToken)
    {
        if (asset.Sha256 is null || asset.OriginalPath is null)
        {
            throw new InvalidOperationException($"Medium {asset.Id} has no original to make renditions from.");
        }
        Vips.EnsureInitialised();
        var folder = RenditionPlan.RenditionsFolder(asset.Sha256);
        var cropsPrefix = RenditionPlan.CropsPrefix(folder, asset.FocalX, asset.FocalY);

        // Each job is one resized picture and the files encoded from it.
        var jobs = new List<(Func<Image, Image> Cut, List<(string Path, ImageFormat Format)> Files)>();
        foreach (var width in RenditionPlan.Widths(asset.Width))
        {
            var height = RenditionPlan.HeightFor(asset.Width, asset.Height, width);
            jobs.Add((master => Resized(master, width, height), Formats.Select(f => (RenditionPlan.WidthPath(folder, width, f), f)).ToList()));
        }
        foreach (var ratio in CropRatio.All)
        {
            // Crops are for Open Graph and JSON-LD consumers, which all read JPEG; not all read AVIF or WebP.
            jobs.Add((master => Cropped(master, asset, ratio), [(RenditionPlan.CropPath(cropsPrefix, ratio), ImageFormat.Jpeg)]));
        }

        var missing = new List<(Func<Image, Image> Cut, List<(string Path, ImageFormat Format)> Files)>();
        foreach (var (cut, files) in jobs)
        {
            var left = new List<(string Path, ImageFormat Format)>();
            foreach (var file in files)
            {
                if (await store.ExistsAsync(MediaArea.Public, file.Path, cancellationToken))
                {
                    progress?.Invoke(1);
                }
                else
                {
                    left.Add(file);
                }
            }
            if (left.Count > 0)
            {
                missing.Add((cut, left));
            }
        }

        var written = 0;
        if (missing.Count > 0)
        {
            var original = await store.ReadAsync(MediaArea.Original, asset.OriginalPath, cancellationToken);
            var (masterWidth, masterHeight) = RenditionPlan.MasterSize(asset.Width, asset.Height);
            // One decode, upright, in sRGB, at most 1920 wide, kept in memory: every file is cut from it.
            using var loaded = RenditionEncoder.Decode(original, masterWidth, masterHeight);
            using var master = loaded.CopyMemory();
            foreach (var (cut, files) in missing)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var picture = cut(master);
                foreach (var (path, format) in files)
                {
                    await store.SaveAsync(MediaArea.Public, path, RenditionEncoder.Encode(picture, format), cancellationToken);
                    written++;
                    progress?.Invoke(1);
                }
            }
        }
        return new RenditionSet(folder, cropsPrefix, written);
    }

    private static Image Resized(Image master, int width, int height)
    {
        if (master.Width == width && master.Height == height)
        {
            return master.Copy();
        }
        using var resized = master.ThumbnailImage(width, height: height, size: Enums.Size.Force);
        return resized.CopyMemory();
    }

    private static Image Cropped(Image master, MediaAsset asset, CropRatio ratio)
    {
        var (x, y, areaWidth, areaHeight) = RenditionPlan.CropArea(asset.Width, asset.Height, ratio, asset.FocalX, asset.FocalY);
        var (width, height) = RenditionPlan.CropSize(asset.Width, asset.Height, ratio);
        using var area = master.Crop(x, y, areaWidth, areaHeight);
        using var resized = area.ThumbnailImage(width, height: height, size: Enums.Size.Force);
        return resized.CopyMemory();
    }
}
