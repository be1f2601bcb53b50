using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Tests.Infrastructure;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Icc;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Photoshop;
using MetadataExtractor.Formats.Xmp;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace Kiosque.Tests.Media;

/// <summary>Ingest and rendition calls against a test site's own services, and the checks on served files.</summary>
public static class MediaTestSupport
{
    public static async Task<MediaIngestResult> IngestAsync(this KiosqueFactory site, Stream content, MediaUpload upload)
    {
        site.SkipIfUnavailable();
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediaIngest>().IngestAsync(content, upload, TestContext.Current.CancellationToken);
    }

    public static async Task<MediaAsset> IngestAsync(this KiosqueFactory site, byte[] bytes, MediaUpload upload)
    {
        var result = await site.IngestAsync(new MemoryStream(bytes), upload);
        Assert.True(result.Succeeded, result.Error);
        return result.Asset!;
    }

    /// <summary>What the background worker does, now, for these media only.</summary>
    public static async Task<int> RenderAsync(this KiosqueFactory site, params int[] ids)
    {
        var rendered = await site.Services.GetRequiredService<RenditionWorker>().RunPendingAsync(ids, null, TestContext.Current.CancellationToken);
        // Finishing renditions is a content change: let this node's cache hear of it first.
        await site.WaitForChangeFeedAsync();
        return rendered;
    }

    /// <summary>
    /// Every media file (public renditions and private originals), to prove a refused upload wrote
    /// nothing. The database and the search index change on their own and are not media.
    /// </summary>
    public static SortedSet<string> StoredFiles(this KiosqueFactory site) =>
        new(new[] { "media", "originals" }.Select(folder => Path.Combine(site.DataDirectory, folder)).Where(System.IO.Directory.Exists)
            .SelectMany(folder => System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(site.DataDirectory, f)), StringComparer.Ordinal);

    /// <summary>
    /// No metadata at all survives in a served file: MetadataExtractor finds no EXIF (so no GPS,
    /// maker notes or thumbnail), XMP, IPTC or colour profile, libvips sees no metadata blob (it
    /// reads AVIF, which this MetadataExtractor version cannot look inside), and the raw bytes carry
    /// neither the markers of those blocks nor the photographer's name.
    /// </summary>
    public static void AssertStripped(byte[] bytes, string url)
    {
        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
        var found = directories.Where(d => d is GpsDirectory or ExifIfd0Directory or ExifSubIfdDirectory or ExifThumbnailDirectory
            or ExifInteropDirectory or XmpDirectory or IptcDirectory or PhotoshopDirectory or IccDirectory).Select(d => d.Name).ToList();
        Assert.True(found.Count == 0, $"{url} still carries {string.Join(", ", found)}");

        using var image = Image.NewFromBuffer(bytes);
        foreach (var field in new[] { "exif-data", "xmp-data", "iptc-data", "icc-profile-data" })
        {
            Assert.False(image.Contains(field), $"{url} still carries {field}");
        }
        var raw = bytes.AsSpan();
        Assert.True(raw.IndexOf("Exif\0\0"u8) < 0, $"{url} has an EXIF block");
        Assert.True(raw.IndexOf("xmpmeta"u8) < 0, $"{url} has an XMP packet");
        Assert.True(raw.IndexOf("Photoshop 3.0"u8) < 0, $"{url} has an IPTC block");
        Assert.True(raw.IndexOf(System.Text.Encoding.ASCII.GetBytes(TestImages.SecretArtist)) < 0, $"{url} names the photographer");
    }

    /// <summary>True when the picture has pure red somewhere (the test images' marker).</summary>
    public static bool HasRed(Image image)
    {
        using var red = image[0] > 200;
        using var notGreen = image[1] < 60;
        using var both = red & notGreen;
        return both.Max() > 0;
    }

    /// <summary>Every URL a srcset lists.</summary>
    public static IEnumerable<string> SrcSetUrls(string? srcset) =>
        (srcset ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.Split(' ')[0]);
}
