using System.Text.Json;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Kiosque.Tests.Media;

/// <summary>What readers get: &lt;picture&gt; markup on every page, and social crops around the focal point.</summary>
public abstract class MediaPagesTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Pages_show_pictures_with_avif_and_webp_sources_sizes_and_dimensions()
    {
        using var client = site.Reader();
        var photo = await site.IngestAsync(TestImages.Jpeg(1000, 600), new MediaUpload("place.jpg", "Iris Volk / Agence Delta", "La place au matin.", "Une place vide"));
        var portrait = await site.IngestAsync(TestImages.Jpeg(480, 480), new MediaUpload("portrait.jpg", "Le Courrier", "Portrait.", "Portrait de Camille Test"));
        var author = _content.Author();
        author.PhotoMediaId = portrait.Id;
        var article = _content.Article(_content.Section(), "Une place au matin", authors: [author],
            body: ArticleBody.Of(new ParagraphBlock("Texte."), new ImageBlock(photo.Id, Caption: "Autre légende.")));
        article.HeroMediaId = photo.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, author, article));

        // Renditions not made yet: the page is whole at once, with the JPEG made at upload.
        var early = await client.GetDocumentAsync($"/article/{article.Slug}");
        var earlyImg = early.QuerySelector("figure.hero picture img")!;
        Assert.Equal($"/media/{photo.FileName}", earlyImg.GetAttribute("src"));
        Assert.Equal(("1000", "600"), (earlyImg.GetAttribute("width"), earlyImg.GetAttribute("height")));
        using (var fallback = await client.GetAsync(earlyImg.GetAttribute("src")))
        {
            Assert.Equal("image/jpeg", fallback.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal(2, await site.RenderAsync(photo.Id, portrait.Id));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");
        var hero = page.QuerySelector("figure.hero picture")!;
        var sources = hero.QuerySelectorAll("source");
        Assert.Equal(["image/avif", "image/webp"], sources.Select(s => s.GetAttribute("type")));
        foreach (var source in sources)
        {
            // Never upscaled: the widths stop at the photo's own 1000 pixels.
            Assert.Equal(["320w", "640w", "1000w"], source.GetAttribute("srcset")!.Split(", ").Select(c => c.Split(' ')[1]));
            Assert.Equal(Picture.HeroSizes, source.GetAttribute("sizes"));
        }
        var img = hero.QuerySelector("img")!;
        Assert.Equal(["320w", "640w", "1000w"], img.GetAttribute("srcset")!.Split(", ").Select(c => c.Split(' ')[1]));
        Assert.All(MediaTestSupport.SrcSetUrls(img.GetAttribute("srcset")), u => Assert.EndsWith(".jpg", u, StringComparison.Ordinal));
        Assert.Equal(Picture.HeroSizes, img.GetAttribute("sizes"));
        Assert.Equal(("1000", "600"), (img.GetAttribute("width"), img.GetAttribute("height")));
        Assert.Equal("Une place vide", img.GetAttribute("alt"));
        // The hero is the page's main picture: fetched first, never lazily.
        Assert.Equal("high", img.GetAttribute("fetchpriority"));
        Assert.Null(img.GetAttribute("loading"));

        var inBody = page.QuerySelector(".article-body figure.body-image")!;
        Assert.Equal(2, inBody.QuerySelectorAll("picture source").Length);
        Assert.Equal("lazy", inBody.QuerySelector("picture img")!.GetAttribute("loading"));
        Assert.Equal(Picture.BodySizes, inBody.QuerySelector("picture img")!.GetAttribute("sizes"));
        Assert.Contains("Autre légende.", inBody.QuerySelector("figcaption").Text());

        // Cards on the home page and list pages, and the author's portrait, are pictures too.
        var home = await client.GetDocumentAsync("/");
        var card = home.QuerySelector($"a.card-image[href='/article/{article.Slug}'] picture")!;
        Assert.Equal(2, card.QuerySelectorAll("source").Length);
        Assert.NotNull(card.QuerySelector("img[srcset][sizes][width][height]"));

        var authorPage = await client.GetDocumentAsync($"/auteur/{author.Slug}");
        var photoOfAuthor = authorPage.QuerySelector(".list-header picture img.author-photo")!;
        Assert.Equal("Portrait de Camille Test", photoOfAuthor.GetAttribute("alt"));
        Assert.Equal(["320w", "480w"], photoOfAuthor.GetAttribute("srcset")!.Split(", ").Select(c => c.Split(' ')[1]));
        Assert.Equal(2, authorPage.QuerySelectorAll(".list-header picture source").Length);
        var listCard = authorPage.QuerySelector($".card-list a.card-image[href='/article/{article.Slug}'] picture img")!;
        Assert.Equal(Picture.ListCardSizes, listCard.GetAttribute("sizes"));
    }

    [Fact]
    public async Task Social_crops_have_exact_ratios_and_follow_the_focal_point()
    {
        using var client = site.Reader();
        // A red square near the top right; the editor puts the focal point on it.
        var bytes = TestImages.Jpeg(1600, 900, (1300, 100, 100));
        var photo = await site.IngestAsync(bytes, new MediaUpload("square.jpg", "Crédit", "Légende", "Un carré rouge", FocalX: 1350 / 1600d, FocalY: 150 / 900d));
        var article = _content.Article(_content.Section(), "Un carré rouge en haut à droite");
        article.HeroMediaId = photo.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        Assert.Equal(1, await site.RenderAsync(photo.Id));

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");
        var ogImage = page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!;
        Assert.EndsWith("-16x9.jpg", ogImage, StringComparison.Ordinal);
        Assert.Equal("1200", page.QuerySelector("meta[property='og:image:width']")!.GetAttribute("content"));
        Assert.Equal("675", page.QuerySelector("meta[property='og:image:height']")!.GetAttribute("content"));
        var images = JsonLdImages(page);
        Assert.Equal(3, images.Count);
        Assert.Equal(ogImage, images[0]);

        var expected = new[] { (16, 9, 1200, 675), (4, 3, 1200, 900), (1, 1, 900, 900) };
        for (var i = 0; i < 3; i++)
        {
            using var crop = await FetchImageAsync(client, images[i]);
            var (a, b, width, height) = expected[i];
            Assert.EndsWith($"-{a}x{b}.jpg", images[i], StringComparison.Ordinal);
            Assert.Equal((width, height), (crop.Width, crop.Height));
            Assert.Equal(crop.Width * b, crop.Height * a);
            Assert.True(MediaTestSupport.HasRed(crop), $"the {a}:{b} crop lost the focal point");
        }

        // The editor moves the focal point to the bottom left: new crops, under new names.
        var foldersBefore = Directory.GetFiles(Path.Combine(site.DataDirectory, "media", photo.FileName[..photo.FileName.LastIndexOf('/')])).Length;
        await site.WithDbAsync(async db =>
        {
            var medium = await db.Media.SingleAsync(m => m.Id == photo.Id);
            medium.SetFocalPoint(0.1, 0.9);
            await db.SaveChangesAsync();
        });
        var meanwhile = await client.GetDocumentAsync($"/article/{article.Slug}");
        // Until the new crops exist, social cards use the plain JPEG rather than the old framing.
        Assert.EndsWith("/w1280.jpg", meanwhile.QuerySelector("meta[property='og:image']")!.GetAttribute("content"), StringComparison.Ordinal);
        Assert.NotEmpty(meanwhile.QuerySelectorAll("figure.hero picture source"));

        Assert.Equal(1, await site.RenderAsync(photo.Id));
        var moved = JsonLdImages(await client.GetDocumentAsync($"/article/{article.Slug}"));
        Assert.Empty(moved.Intersect(images));
        using (var square = await FetchImageAsync(client, moved[2]))
        {
            Assert.False(MediaTestSupport.HasRed(square), "the 1:1 crop should now frame the bottom left");
        }
        // Only the three crops were made again; the width renditions stood.
        var foldersAfter = Directory.GetFiles(Path.Combine(site.DataDirectory, "media", photo.FileName[..photo.FileName.LastIndexOf('/')])).Length;
        Assert.Equal(foldersBefore + 3, foldersAfter);
    }

    private static List<string> JsonLdImages(AngleSharp.Dom.IDocument page) =>
        JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement
            .GetProperty("image").EnumerateArray().Select(i => i.GetProperty("url").GetString()!).ToList();

    private static async Task<Image> FetchImageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url).AbsolutePath);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class MediaPagesSqliteTests(SqliteSite site) : MediaPagesTests(site), IClassFixture<SqliteSite>;

public sealed class MediaPagesPostgresTests(PostgresSite site) : MediaPagesTests(site), IClassFixture<PostgresSite>;
