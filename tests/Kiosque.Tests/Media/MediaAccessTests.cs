using System.Net;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Media;

/// <summary>
/// Security review, finding 10: the renditions of a picture no public content shows (a draft's, an
/// unpublished piece's) are for the newsroom and preview links only, not for whoever has the address.
/// </summary>
public abstract class MediaAccessTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task A_drafts_picture_is_hidden_from_readers_until_published_and_again_once_unpublished()
    {
        var hero = await site.IngestAsync(TestImages.Jpeg(800, 500, (20, 30, 12)), new MediaUpload("une.jpg", "Iris Volk", "La une.", "Une place"));
        var inBody = await site.IngestAsync(TestImages.Jpeg(640, 480, (40, 10, 12)), new MediaUpload("corps.jpg", "Iris Volk", "Le corps.", "Un quai"));
        var article = _content.Article(_content.Section(), "Un brouillon illustré", status: ArticleStatus.Draft,
            body: ArticleBody.Of(new ParagraphBlock("Texte."), new ImageBlock(inBody.Id)));
        article.HeroMediaId = hero.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        var (heroUrl, bodyUrl) = ($"/media/{hero.FileName}", $"/media/{inBody.FileName}");

        using var reader = site.Reader();
        foreach (var url in new[] { heroUrl, bodyUrl })
        {
            using var refused = await reader.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());
        }

        // The newsroom sees it: its session comes with a cookie kept to /media.
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            using var staff = await editor.GetAsync(heroUrl);
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
            Assert.Equal("image/jpeg", staff.Content.Headers.ContentType?.MediaType);
            Assert.True(staff.Headers.CacheControl?.Private, "a picture not yet public must not be kept by shared caches");
        }

        await SetStatusAsync(article.Id, ArticleStatus.Published);
        foreach (var url in new[] { heroUrl, bodyUrl })
        {
            using var open = await reader.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Contains("immutable", open.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        }

        await SetStatusAsync(article.Id, ArticleStatus.Unpublished);
        using var closed = await reader.GetAsync(bodyUrl);
        Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
    }

    [Fact]
    public async Task A_picture_taken_out_of_a_published_body_is_hidden_and_one_put_in_is_shown()
    {
        var first = await site.IngestAsync(TestImages.Jpeg(600, 400, (60, 10, 12)), new MediaUpload("a.jpg", "Iris Volk", "A.", "A"));
        var second = await site.IngestAsync(TestImages.Jpeg(600, 400, (80, 10, 12)), new MediaUpload("b.jpg", "Iris Volk", "B.", "B"));
        var article = _content.Article(_content.Section(), "Une image remplacée", body: ArticleBody.Of(new ImageBlock(first.Id)));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        using var reader = site.Reader();
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/media/{first.FileName}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/media/{second.FileName}")).StatusCode);

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == article.Id);
            stored.Body = ArticleBody.Of(new ParagraphBlock("Autre photo."), new ImageBlock(second.Id)).ToJson();
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/media/{first.FileName}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/media/{second.FileName}")).StatusCode);
    }

    [Fact]
    public async Task A_preview_link_shows_its_articles_pictures_and_no_other()
    {
        var shown = await site.IngestAsync(TestImages.Jpeg(600, 400, (100, 10, 12)), new MediaUpload("c.jpg", "Iris Volk", "C.", "C"));
        var other = await site.IngestAsync(TestImages.Jpeg(600, 400, (120, 10, 12)), new MediaUpload("d.jpg", "Iris Volk", "D.", "D"));
        var article = _content.Article(_content.Section(), "Un aperçu illustré", status: ArticleStatus.Review);
        article.HeroMediaId = shown.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        // A source checking a quote opens the link in a browser: no account, only the link.
        using var source = site.Browser();
        var link = site.Services.GetRequiredService<PreviewLinks>().Create(article.Id).Path;
        var page = await source.GetDocumentAsync(link);
        var src = page.QuerySelector("figure.hero picture img")!.GetAttribute("src")!;
        Assert.Equal(HttpStatusCode.OK, (await source.GetAsync(src)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await source.GetAsync($"/media/{other.FileName}")).StatusCode);
        // Without the link's cookie, the same address is closed.
        using var reader = site.Reader();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(src)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_closes_the_pictures_to_a_copied_media_cookie()
    {
        var picture = await site.IngestAsync(TestImages.Jpeg(600, 400, (140, 10, 12)), new MediaUpload("e.jpg", "Iris Volk", "E.", "E"));
        var url = $"/media/{picture.FileName}";
        var user = await site.CreateUserAsync(Roles.Editor);
        using var client = site.Browser();
        string cookie;
        using (var signedIn = await client.SignInAsync(user.Email!, NewsroomSession.Password))
        {
            cookie = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
                .Single(c => c.StartsWith(NewsroomServices.MediaCookieName + "=", StringComparison.Ordinal));
        }
        // Someone who copied the cookie replays it by hand.
        using var thief = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://journal.test") });
        async Task<HttpStatusCode> ReplayAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", cookie);
            using var response = await thief.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync());
        using (var signOut = await client.PostFormAsync("/newsroom/deconnexion"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, await ReplayAsync());
    }

    private Task<int> SetStatusAsync(int id, ArticleStatus status) => site.WithDbAsync(async db =>
    {
        var article = await db.Articles.SingleAsync(a => a.Id == id);
        article.Status = status;
        article.PublishedAt ??= TestContent.Now.AddMinutes(-5);
        return await db.SaveChangesAsync();
    });
}

public sealed class MediaAccessSqliteTests(SqliteSite site) : MediaAccessTests(site), IClassFixture<SqliteSite>;

public sealed class MediaAccessPostgresTests(PostgresSite site) : MediaAccessTests(site), IClassFixture<PostgresSite>;
