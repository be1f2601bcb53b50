using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Dom;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Media;

/// <summary>
/// The newsroom's media library through HTTP, as a journalist uses it: the upload form (and each
/// refusal, with what was typed kept), the grid and its search, the medium page with the focal
/// point and crops, the editor's JSON upload and search, and who may do what.
/// </summary>
public abstract class MediaLibraryTests(KiosqueFactory site)
{
    /// <summary>Small, so "just over the limit" costs nothing; the request limit is this plus the form overhead.</summary>
    public const long MaxBytes = 300 * 1024;

    private readonly TestContent _content = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal static MultipartFormDataContent UploadForm(string? token, byte[]? file, string fileName = "photo.jpg", string credit = "", string caption = "", string alt = "")
    {
        var form = new MultipartFormDataContent();
        if (token is not null)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        form.Add(new StringContent(credit), "credit");
        form.Add(new StringContent(caption), "caption");
        form.Add(new StringContent(alt), "alt");
        // What a browser sends for a file input left empty: a part with no name and no bytes.
        var part = new ByteArrayContent(file ?? []);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", file is null ? "\"\"" : fileName);
        return form;
    }

    private static async Task<(HttpResponseMessage Response, IDocument? Page)> PostUploadAsync(HttpClient client, byte[]? file, string fileName = "photo.jpg", string credit = "", string caption = "", string alt = "", bool withToken = true)
    {
        var token = withToken ? await client.TokenAsync("/newsroom/medias") : null;
        var response = await client.PostAsync("/newsroom/medias", UploadForm(token, file, fileName, credit, caption, alt), Cancel);
        var page = response.Content.Headers.ContentType?.MediaType == "text/html" ? await Html.ParseAsync(response) : null;
        return (response, page);
    }

    private static int IdFrom(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location!.OriginalString;
        Assert.Matches(@"^/newsroom/medias/\d+\?ok=media-uploaded$", location);
        return int.Parse(location["/newsroom/medias/".Length..location.IndexOf('?', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_contributor_uploads_a_photo_sees_it_in_the_library_and_checks_its_fields()
    {
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        var caption = _content.Unique("Le marché couvert au petit matin");
        var (response, _) = await PostUploadAsync(client, TestImages.Jpeg(900, 600), "marche.jpg", "Iris Volk / Agence Delta", caption, "Des étals sous une halle");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = IdFrom(response);

        var medium = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Image ajoutée", medium.QuerySelector(".nr-notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Iris Volk / Agence Delta", medium.QuerySelector("#credit")!.GetAttribute("value"));
        Assert.Equal(caption, medium.QuerySelector("#caption")!.TextContent);
        Assert.Equal("Des étals sous une halle", medium.QuerySelector("#alt")!.TextContent);
        Assert.Null(medium.QuerySelector("#media-missing"));
        // Renditions are made in the background: the crops are announced, not shown yet.
        Assert.NotNull(medium.QuerySelector("#crops-pending"));
        Assert.Equal("0.5", medium.QuerySelector("#focalX")!.GetAttribute("value"));

        var library = await client.GetDocumentAsync("/newsroom/medias");
        var card = library.QuerySelectorAll(".nr-media-card")[0];
        Assert.Equal($"/newsroom/medias/{id}", card.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains(caption, card.TextContent, StringComparison.Ordinal);
        Assert.Contains("900 × 600", card.TextContent, StringComparison.Ordinal);
        Assert.Equal("page", library.QuerySelector("a[href='/newsroom/medias']")!.GetAttribute("aria-current"));

        var found = await client.GetDocumentAsync("/newsroom/medias?q=" + Uri.EscapeDataString(caption.ToUpperInvariant()[..20]));
        Assert.Single(found.QuerySelectorAll(".nr-media-card"));
        var none = await client.GetDocumentAsync("/newsroom/medias?q=introuvable-" + Guid.NewGuid().ToString("N"));
        Assert.Empty(none.QuerySelectorAll(".nr-media-card"));

        var audit = await site.WithDbAsync(db => db.AuditLog.AnyAsync(a => a.Action == "media.uploaded" && a.Target == $"#{id}", Cancel));
        Assert.True(audit);
    }

    [Fact]
    public async Task Credit_and_caption_from_the_file_are_shown_for_checking_and_missing_fields_are_marked()
    {
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        var (response, _) = await PostUploadAsync(client, TestImages.JpegWithGps(600, 400), "agence.jpg");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var medium = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Iris Volk / Agence Delta", medium.QuerySelector("#credit")!.GetAttribute("value"));
        Assert.Equal("Des manifestants place centrale, le 5 mars.", medium.QuerySelector("#caption")!.TextContent);

        var bare = await PostUploadAsync(client, TestImages.Jpeg(400, 300), "sans-legende.jpg");
        var id = IdFrom(bare.Response);
        var page = await client.GetDocumentAsync($"/newsroom/medias/{id}");
        var missing = page.QuerySelector("#media-missing")!.TextContent;
        Assert.Contains("le crédit", missing, StringComparison.Ordinal);
        Assert.Contains("la légende", missing, StringComparison.Ordinal);
        Assert.Contains("publi", missing, StringComparison.Ordinal);
        var library = await client.GetDocumentAsync("/newsroom/medias");
        var card = library.QuerySelector($".nr-media-card:has(a[href='/newsroom/medias/{id}'])")!;
        Assert.Contains("nr-media-incomplete", card.ClassName, StringComparison.Ordinal);
        Assert.Contains("le texte alternatif", card.QuerySelector(".nr-media-missing")!.TextContent, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> BadUploads => new()
    {
        { "just-over-limit", 413, "dépasse 0,3 Mo" },
        { "far-over-limit", 413, "dépasse 0,3 Mo" },
        { "pixel-bomb", 400, "10000 × 10000 pixels" },
        { "truncated", 400, "endommagée ou incomplète" },
        { "pdf-renamed", 400, "document PDF" },
        { "zero-bytes", 400, "vide" },
        { "no-file", 400, "Aucun fichier" },
    };

    private static byte[]? BadFile(string kind)
    {
        var jpeg = TestImages.Jpeg(600, 400);
        return kind switch
        {
            "just-over-limit" => [.. jpeg, .. new byte[MaxBytes + 1 - jpeg.Length]],
            // Past the endpoint's own request limit (the media limit plus the form's overhead).
            "far-over-limit" => [.. jpeg, .. new byte[MaxBytes + (2 * 1024 * 1024)]],
            "pixel-bomb" => TestImages.PngBomb(10_000, 10_000),
            "truncated" => jpeg[..(jpeg.Length / 2)],
            "pdf-renamed" => "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray(),
            "zero-bytes" => [],
            "no-file" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_refused_upload_shows_the_form_again_with_the_message_and_what_was_typed(string kind, int status, string message)
    {
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        var filesBefore = site.StoredFiles();
        var rowsBefore = await site.WithDbAsync(db => db.Media.CountAsync(Cancel));
        var caption = _content.Unique("Une légende tapée avec soin");

        var (response, page) = await PostUploadAsync(client, BadFile(kind), $"{kind}.jpg", "Crédit tapé", caption, "Texte alternatif tapé");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotNull(page);
        Assert.Contains(message, page.QuerySelector(".nr-error")!.TextContent, StringComparison.Ordinal);
        if (kind != "far-over-limit" || page.QuerySelector("#upload-credit")!.GetAttribute("value") != "")
        {
            // Over the server's own limit the body may stop before the fields; below it nothing is lost.
            Assert.Equal("Crédit tapé", page.QuerySelector("#upload-credit")!.GetAttribute("value"));
            Assert.Equal(caption, page.QuerySelector("#upload-caption")!.TextContent);
            Assert.Equal("Texte alternatif tapé", page.QuerySelector("#upload-alt")!.TextContent);
        }
        Assert.Equal(filesBefore, site.StoredFiles());
        Assert.Equal(rowsBefore, await site.WithDbAsync(db => db.Media.CountAsync(Cancel)));
    }

    [Fact]
    public async Task The_editor_uploads_as_json_with_the_header_token_and_finds_the_picture_at_once()
    {
        var (client, _) = await site.SignedInAsync(Roles.Editor);
        var token = await client.TokenAsync("/newsroom/medias");
        var caption = _content.Unique("Le pont levant");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/newsroom/medias") { Content = UploadForm(null, TestImages.Jpeg(800, 500), "pont.jpg", "Crédit", caption, "Un pont") };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        var id = created.RootElement.GetProperty("id").GetInt32();
        Assert.Equal(caption, created.RootElement.GetProperty("caption").GetString());
        Assert.StartsWith("/media/r/", created.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);

        using var search = await client.GetAsync("/newsroom/medias/recherche?q=" + Uri.EscapeDataString(caption), Cancel);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        using var results = JsonDocument.Parse(await search.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(id, Assert.Single(results.RootElement.EnumerateArray()).GetProperty("id").GetInt32());

        // The editor's pickers list it among the recent pictures.
        var articleId = await NewArticleAsync();
        var editor = await client.GetDocumentAsync($"/newsroom/articles/{articleId}");
        Assert.NotNull(editor.QuerySelector($"#hero option[value='{id}']"));
        Assert.Contains($"\"id\":{id}", editor.QuerySelector("#media-library")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(editor.QuerySelector("form#editor-upload[enctype='multipart/form-data']"));

        using var refused = new HttpRequestMessage(HttpMethod.Post, "/newsroom/medias") { Content = UploadForm(null, "%PDF-1.4\n"u8.ToArray(), "faux.jpg") };
        refused.Headers.Add("RequestVerificationToken", token);
        refused.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var refusal = await client.SendAsync(refused, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refusal.StatusCode);
        using var error = JsonDocument.Parse(await refusal.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("document PDF", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_focal_point_is_validated_saved_and_the_crops_made_again()
    {
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        var (response, _) = await PostUploadAsync(client, TestImages.Jpeg(900, 600), "focal.jpg", "Crédit", "Légende", "Alt");
        var id = IdFrom(response);
        await site.RenderAsync(id);
        var page = await client.GetDocumentAsync($"/newsroom/medias/{id}");
        Assert.Equal(3, page.QuerySelectorAll(".nr-crops img").Length);
        var oldCrop = page.QuerySelector(".nr-crops img")!.GetAttribute("src");

        foreach (var (x, y) in new[] { ("1.5", "0.5"), ("abc", "0.2"), ("", "0.2"), ("0.3", "-0.1") })
        {
            var token = await client.TokenAsync($"/newsroom/medias/{id}");
            using var bad = await client.PostAsync($"/newsroom/medias/{id}", NewsroomSession.Form(token, ("credit", "Crédit modifié"), ("caption", "Légende"), ("alt", "Alt"), ("focalX", x), ("focalY", y)), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var shown = await Html.ParseAsync(bad);
            Assert.Contains("deux nombres entre 0 et 1", shown.QuerySelector(".nr-error")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Crédit modifié", shown.QuerySelector("#credit")!.GetAttribute("value"));
            Assert.Equal(x, shown.QuerySelector("#focalX")!.GetAttribute("value"));
        }
        var unchanged = await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == id, Cancel));
        Assert.Equal(("Crédit", 0.5), (unchanged.Credit, unchanged.FocalX));
        Assert.False(unchanged.RenditionsPending);

        var good = await client.TokenAsync($"/newsroom/medias/{id}");
        using var saved = await client.PostAsync($"/newsroom/medias/{id}", NewsroomSession.Form(good, ("credit", "Crédit modifié"), ("caption", "Légende"), ("alt", "Alt"), ("focalX", "0.25"), ("focalY", "0.8")), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/newsroom/medias/{id}?ok=media-saved", saved.Headers.Location!.OriginalString);
        var medium = await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == id, Cancel));
        Assert.Equal(("Crédit modifié", 0.25, 0.8), (medium.Credit, medium.FocalX, medium.FocalY));
        Assert.True(medium.RenditionsPending);
        Assert.Null(medium.CropsPath);
        var pending = await client.GetDocumentAsync($"/newsroom/medias/{id}");
        Assert.NotNull(pending.QuerySelector("#crops-pending"));
        Assert.Equal("left: 25%; top: 80%", pending.QuerySelector("#focal-marker")!.GetAttribute("style"));

        await site.RenderAsync(id);
        var remade = await client.GetDocumentAsync($"/newsroom/medias/{id}");
        Assert.Equal(3, remade.QuerySelectorAll(".nr-crops img").Length);
        Assert.NotEqual(oldCrop, remade.QuerySelector(".nr-crops img")!.GetAttribute("src"));
        Assert.True(await site.WithDbAsync(db => db.AuditLog.AnyAsync(a => a.Action == "media.updated" && a.Target == $"#{id}", Cancel)));
    }

    [Fact]
    public async Task The_medium_page_lists_the_articles_that_show_it_and_only_an_unused_medium_can_be_deleted()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var used = IdFrom((await PostUploadAsync(editor, TestImages.Jpeg(500, 300, (10, 10, 40)), "utilisee.jpg", "C", "L", "A")).Response);
        var inBody = IdFrom((await PostUploadAsync(editor, TestImages.Jpeg(500, 300, (100, 10, 40)), "corps.jpg", "C", "L", "A")).Response);
        var unused = IdFrom((await PostUploadAsync(editor, TestImages.Jpeg(500, 300, (200, 10, 40)), "inutile.jpg", "C", "L", "A")).Response);
        var headline = _content.Unique("La crue de la Sève");
        await site.WithDbAsync(async db =>
        {
            var section = _content.Section();
            var article = _content.Article(section, headline, status: ArticleStatus.Draft, body: ArticleBody.Of(new ParagraphBlock("Texte."), new ImageBlock(inBody)));
            article.HeroMediaId = used;
            await TestContent.SaveAsync(db, section, article);
        });

        var page = await editor.GetDocumentAsync($"/newsroom/medias/{used}");
        Assert.Contains(headline, page.QuerySelector("#media-uses")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("image principale", page.QuerySelector("#media-uses")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector($"form[action='/newsroom/medias/{used}/supprimer']"));
        var body = await editor.GetDocumentAsync($"/newsroom/medias/{inBody}");
        Assert.Contains("dans le texte", body.QuerySelector("#media-uses")!.TextContent, StringComparison.Ordinal);

        using var refused = await editor.PostFormAsync($"/newsroom/medias/{used}/supprimer", ("confirm", "yes"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.True(await site.WithDbAsync(db => db.Media.AnyAsync(m => m.Id == used, Cancel)));

        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        Assert.Null((await contributor.GetDocumentAsync($"/newsroom/medias/{unused}")).QuerySelector($"form[action='/newsroom/medias/{unused}/supprimer']"));
        Assert.NotNull((await editor.GetDocumentAsync($"/newsroom/medias/{unused}")).QuerySelector($"form[action='/newsroom/medias/{unused}/supprimer']"));
        using var forbidden = await contributor.PostFormAsync($"/newsroom/medias/{unused}/supprimer", ("confirm", "yes"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var medium = await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == unused, Cancel));
        using var deleted = await editor.PostFormAsync($"/newsroom/medias/{unused}/supprimer", ("confirm", "yes"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await site.WithDbAsync(db => db.Media.AnyAsync(m => m.Id == unused, Cancel)));
        Assert.DoesNotContain(site.StoredFiles(), f => f.Contains(medium.Sha256!, StringComparison.Ordinal) || f.EndsWith(medium.FileName.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal));
        using var gone = await editor.GetAsync(SiteFormatPath(medium.FileName), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Only_an_editor_changes_a_picture_readers_see_and_its_credit_cannot_be_emptied()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        var online = IdFrom((await PostUploadAsync(contributor, TestImages.Jpeg(500, 300, (10, 90, 40)), "en-ligne.jpg", "Crédit d’origine", "Légende d’origine", "Alt d’origine")).Response);
        var draftOnly = IdFrom((await PostUploadAsync(contributor, TestImages.Jpeg(500, 300, (90, 90, 40)), "brouillon.jpg", "C", "L", "A")).Response);
        await site.WithDbAsync(async db =>
        {
            var section = _content.Section();
            var published = _content.Article(section, _content.Unique("Un article en ligne"), body: ArticleBody.Of(new ParagraphBlock("Texte."), new ImageBlock(online)));
            var draft = _content.Article(section, _content.Unique("Un brouillon"), status: ArticleStatus.Draft);
            draft.HeroMediaId = draftOnly;
            await TestContent.SaveAsync(db, section, published, draft);
        });
        async Task<HttpResponseMessage> SaveAsync(HttpClient client, int id, string credit, string caption) =>
            await client.PostAsync($"/newsroom/medias/{id}", NewsroomSession.Form(await client.TokenAsync($"/newsroom/medias/{id}"), ("credit", credit), ("caption", caption), ("alt", "Alt"), ("focalX", "0.5"), ("focalY", "0.5")), Cancel);

        // The contributor is refused on the published picture, with the reason, and nothing changes…
        using (var refused = await SaveAsync(contributor, online, "Crédit détourné", "Légende détournée"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("seul un éditeur", (await Html.ParseAsync(refused)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
        }
        var kept = await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == online, Cancel));
        Assert.Equal(("Crédit d’origine", "Légende d’origine"), (kept.Credit, kept.Caption));
        // …but still edits a picture only a draft shows.
        using (var mine = await SaveAsync(contributor, draftOnly, "Crédit", "Légende corrigée"))
        {
            Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        }

        // An editor may change it, but not empty the credit that publishing required.
        using (var empty = await SaveAsync(editor, online, "", "Légende revue"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("Le crédit ne peut pas être vide", (await Html.ParseAsync(empty)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
        }
        using (var saved = await SaveAsync(editor, online, "Crédit revu", "Légende revue"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        Assert.Equal("Crédit revu", (await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == online, Cancel))).Credit);
    }

    private static string SiteFormatPath(string fileName) => Kiosque.Site.SiteFormat.MediaPath(fileName);

    [Fact]
    public async Task Visitors_are_sent_to_sign_in_and_a_form_without_its_token_is_refused()
    {
        using var anonymous = site.Browser();
        using var list = await anonymous.GetAsync("/newsroom/medias", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        Assert.StartsWith("/newsroom/connexion", list.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var rowsBefore = await site.WithDbAsync(db => db.Media.CountAsync(Cancel));
        using var upload = await anonymous.PostAsync("/newsroom/medias", UploadForm(null, TestImages.Jpeg(300, 200)), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.StartsWith("/newsroom/connexion", upload.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var search = new HttpRequestMessage(HttpMethod.Get, "/newsroom/medias/recherche?q=a");
        search.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var searched = await anonymous.SendAsync(search, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, searched.StatusCode);

        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        var (response, page) = await PostUploadAsync(client, TestImages.Jpeg(300, 200), credit: "C", caption: "L", alt: "A", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("formulaire a expiré", page!.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await site.WithDbAsync(db => db.Media.CountAsync(Cancel)));
    }

    private async Task<int> NewArticleAsync() =>
        await site.WithDbAsync(async db =>
        {
            var section = _content.Section();
            var article = _content.Article(section, _content.Unique("Brouillon"), status: ArticleStatus.Draft);
            await TestContent.SaveAsync(db, section, article);
            return article.Id;
        });
}

public sealed class MediaLibrarySqliteTests(MediaLibrarySqliteTests.Site site) : MediaLibraryTests(site), IClassFixture<MediaLibrarySqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:Media:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}

public sealed class MediaLibraryPostgresTests(MediaLibraryPostgresTests.Site site) : MediaLibraryTests(site), IClassFixture<MediaLibraryPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Kiosque:Media:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
