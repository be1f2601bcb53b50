using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
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

    [Fact]
    public async Task Feeds_oembed_and_author_cards_give_each_picture_file_its_own_size()
    {
        using var client = site.Reader();
        // Both larger than the 1280-pixel JPEG made at upload, whose size is not the original's.
        var photo = await site.IngestAsync(TestImages.Jpeg(2000, 1000), new MediaUpload("large.jpg", "Crédit", "Légende", "Une grande photo"));
        var portrait = await site.IngestAsync(TestImages.Jpeg(1600, 2000), new MediaUpload("portrait.jpg", "Crédit", "Portrait.", "Un portrait"));
        Assert.Equal((2000, 1000), (photo.Width, photo.Height));
        var author = _content.Author();
        author.PhotoMediaId = portrait.Id;
        var section = _content.Section();
        var article = _content.Article(section, "Une grande photo en une", authors: [author]);
        article.HeroMediaId = photo.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, author, article));

        // Before the renditions (the JPEG made at upload) and after them (the width renditions).
        foreach (var rendered in new[] { false, true })
        {
            if (rendered)
            {
                Assert.Equal(2, await site.RenderAsync(photo.Id, portrait.Id));
            }
            var rss = XDocument.Parse(await client.GetStringAsync($"/rubrique/{section.Slug}/rss.xml", TestContext.Current.CancellationToken));
            var item = rss.Descendants("item").Single();
            var media = item.Element(XName.Get("content", "http://search.yahoo.com/mrss/"))!;
            await AssertServedSizeAsync(client, media.Attribute("url")!.Value, media.Attribute("width")!.Value, media.Attribute("height")!.Value);
            Assert.Equal(("1280", "640"), (media.Attribute("width")!.Value, media.Attribute("height")!.Value));
            var heroInText = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(item.Element(XName.Get("encoded", "http://purl.org/rss/1.0/modules/content/"))!.Value)
                .QuerySelector("figure.hero img")!;
            Assert.Equal(media.Attribute("url")!.Value, heroInText.GetAttribute("src"));
            await AssertServedSizeAsync(client, heroInText.GetAttribute("src")!, heroInText.GetAttribute("width")!, heroInText.GetAttribute("height")!);

            var atom = XDocument.Parse(await client.GetStringAsync($"/rubrique/{section.Slug}/atom.xml", TestContext.Current.CancellationToken));
            Assert.Equal(media.Attribute("url")!.Value, atom.Descendants(XName.Get("link", "http://www.w3.org/2005/Atom")).Single(l => l.Attribute("rel")?.Value == "enclosure").Attribute("href")!.Value);
            var json = JsonDocument.Parse(await client.GetStringAsync($"/rubrique/{section.Slug}/feed.json", TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(media.Attribute("url")!.Value, json.GetProperty("items")[0].GetProperty("image").GetString());

            var oembed = JsonDocument.Parse(await client.GetStringAsync($"/oembed?url={Uri.EscapeDataString($"https://journal.test/article/{article.Slug}")}", TestContext.Current.CancellationToken)).RootElement;
            await AssertServedSizeAsync(client, oembed.GetProperty("thumbnail_url").GetString()!,
                oembed.GetProperty("thumbnail_width").GetInt32().ToString(CultureInfo.InvariantCulture), oembed.GetProperty("thumbnail_height").GetInt32().ToString(CultureInfo.InvariantCulture));

            var authorPage = await client.GetDocumentAsync($"/auteur/{author.Slug}");
            string? Og(string property) => authorPage.QuerySelector($"meta[property='{property}']")?.GetAttribute("content");
            await AssertServedSizeAsync(client, Og("og:image")!, Og("og:image:width")!, Og("og:image:height")!);
            Assert.Equal(("1280", "1600"), (Og("og:image:width"), Og("og:image:height")));
        }
    }

    /// <summary>The file at <paramref name="url"/> is exactly as large as the page says it is.</summary>
    private static async Task AssertServedSizeAsync(HttpClient client, string url, string width, string height)
    {
        using var image = await FetchImageAsync(client, url);
        Assert.Equal((width, height), (image.Width.ToString(CultureInfo.InvariantCulture), image.Height.ToString(CultureInfo.InvariantCulture)));
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
