using System.Net;
using Amazon.S3.Model;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Media;

/// <summary>
/// Media in a shared S3-compatible bucket (a real s3rver on loopback): what is stored is the file
/// itself, byte for byte; a second node serves pictures the first stored; and a bucket that goes
/// away costs an upload a clear message, never a file or a row, and comes back by itself.
/// </summary>
public abstract class S3MediaStoreTests(S3Server s3, DatabaseKind kind) : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private KiosqueFactory _site = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _site = new KiosqueFactory(kind, new Dictionary<string, string?>(s3.Settings));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task The_original_and_every_rendition_are_in_the_bucket_byte_for_byte()
    {
        var photo = TestImages.Jpeg(900, 600, (30, 60, 90));
        var asset = await _site.IngestAsync(photo, new MediaUpload("quai.jpg", "Iris Volk", "Le quai.", "Un quai au matin"));
        Assert.Equal(photo, await s3.ReadAsync("originals/" + asset.OriginalPath));
        // The original never reaches this node's public folder.
        Assert.DoesNotContain(_site.StoredFiles(), f => f.StartsWith("originals", StringComparison.Ordinal));

        Assert.Equal(1, await _site.RenderAsync(asset.Id));
        var folder = asset.FileName[..asset.FileName.LastIndexOf('/')];
        using var client = s3.Client();
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = "public/" + folder + "/" }, Cancel);
        Assert.True(listed.S3Objects.Count > 5, $"renditions in the bucket: {listed.S3Objects.Count}");
        foreach (var stored in listed.S3Objects)
        {
            var bytes = await s3.ReadAsync(stored.Key);
            var local = Path.Combine(_site.DataDirectory, "media", stored.Key["public/".Length..]);
            Assert.Equal(await File.ReadAllBytesAsync(local, Cancel), bytes);
            using var image = NetVips.Image.NewFromBuffer(bytes!);
            Assert.True(image.Width > 0);
        }
    }

    [Fact]
    public async Task A_second_node_serves_the_pictures_the_first_one_stored()
    {
        var photo = TestImages.Jpeg(800, 500, (90, 40, 20));
        var asset = await _site.IngestAsync(photo, new MediaUpload("pont.jpg", "Iris Volk", "Le pont.", "Un pont levant"));
        await _site.RenderAsync(asset.Id);
        var article = _content.Article(_content.Section(), "Le pont levant rouvre");
        article.HeroMediaId = asset.Id;
        await _site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        await using var second = new SecondNode(_site);
        using var reader = second.Reader();
        using var page = await reader.GetAsync($"/article/{article.Slug}", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        var url = $"/media/{asset.FileName}";
        Assert.Contains(url, html, StringComparison.Ordinal);

        using var picture = await reader.GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/jpeg", picture.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await s3.ReadAsync("public/" + asset.FileName), await picture.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Without_the_bucket_an_upload_is_refused_clearly_loses_nothing_and_works_again_when_it_returns()
    {
        var published = await _site.IngestAsync(TestImages.Jpeg(640, 480, (10, 90, 40)), new MediaUpload("place.jpg", "Iris Volk", "La place.", "Une place"));
        var article = _content.Article(_content.Section(), "La place se vide");
        article.HeroMediaId = published.Id;
        await _site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        await using var second = new SecondNode(_site);
        using var reader = second.Reader();
        var (editor, _) = await _site.SignedInAsync(Roles.Editor);
        using var _editor = editor;
        var token = await editor.TokenAsync("/newsroom/medias");
        var media = await _site.WithDbAsync(db => db.Media.CountAsync(Cancel));
        var caption = _content.Unique("Une légende tapée pendant la panne");

        await s3.StopAsync();
        try
        {
            using var refused = await editor.PostAsync("/newsroom/medias",
                MediaLibraryTests.UploadForm(token, TestImages.Jpeg(700, 400, (70, 70, 20)), "panne.jpg", "Crédit tapé", caption, "Texte tapé"), Cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var page = await Html.ParseAsync(refused);
            Assert.Contains("Le stockage des médias ne répond pas", page.Body!.TextContent, StringComparison.Ordinal);
            Assert.Equal(caption, page.QuerySelector("#upload-caption")!.TextContent);
            Assert.Equal(media, await _site.WithDbAsync(db => db.Media.CountAsync(Cancel)));

            // A node that has not yet fetched the picture says "later", which no cache keeps.
            using var later = await reader.GetAsync($"/media/{published.FileName}", Cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, later.StatusCode);
            Assert.NotNull(later.Headers.RetryAfter);
            Assert.Equal("no-store", later.Headers.CacheControl?.ToString());
        }
        finally
        {
            await s3.StartAsync();
        }

        using var back = await reader.GetAsync($"/media/{published.FileName}", Cancel);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        using var accepted = await editor.PostAsync("/newsroom/medias",
            MediaLibraryTests.UploadForm(await editor.TokenAsync("/newsroom/medias"), TestImages.Jpeg(700, 400, (70, 70, 20)), "panne.jpg", "Crédit tapé", caption, "Texte tapé"), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(media + 1, await _site.WithDbAsync(db => db.Media.CountAsync(Cancel)));
    }
}

public sealed class S3MediaStoreSqliteTests(S3Server s3) : S3MediaStoreTests(s3, DatabaseKind.Sqlite), IClassFixture<S3Server>;

public sealed class S3MediaStorePostgresTests(S3Server s3) : S3MediaStoreTests(s3, DatabaseKind.Postgres), IClassFixture<S3Server>;
