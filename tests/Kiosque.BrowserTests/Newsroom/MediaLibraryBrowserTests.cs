using System.Text.Json;
using System.Text.RegularExpressions;
using Kiosque.BrowserTests.Infrastructure;
using Kiosque.Newsroom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosque.BrowserTests.Newsroom;

/// <summary>The site for these tests: a small media limit, so "over the limit" is quick to send through Kestrel.</summary>
public sealed class MediaBrowserSite : NewsroomBrowserSite
{
    public const long MaxBytes = 512 * 1024;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Kiosque:Media:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A journalist adds a picture from the article editor, makes it the hero, then works in the media library, in Chromium.</summary>
public sealed partial class MediaLibraryBrowserTests(MediaBrowserSite site) : IClassFixture<MediaBrowserSite>
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static byte[] Jpeg(int width, int height)
    {
        using var black = NetVips.Image.Black(width, height, bands: 3);
        using var picture = black + new double[] { 190, 120, 60 };
        using var cast = picture.Cast(NetVips.Enums.BandFormat.Uchar);
        return cast.JpegsaveBuffer(q: 80);
    }

    [Fact]
    public async Task A_journalist_uploads_a_picture_from_the_editor_sets_it_as_hero_and_sets_its_focal_point()
    {
        await site.SeedAsync("Mina Roux");
        var journalist = await site.CreateUserAsync(Roles.Contributor, "Mina Roux");
        var page = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(page, journalist.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Nouvel article" }).First.ClickAsync();
        await page.WaitForURLAsync(ArticleUrlRegex());
        await page.Locator("#body-editor .ce-block").First.WaitForAsync();
        var articleId = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("La halle rouverte");

        var caption = $"La halle au petit matin {Guid.NewGuid():N}";
        await page.Locator("#editor-upload-panel summary").ClickAsync();
        var upload = page.Locator("#editor-upload");
        await upload.GetByLabel("Crédit").FillAsync("Mina Roux / Kiosque");
        await upload.GetByLabel("Légende").FillAsync(caption);
        await upload.GetByLabel("Texte alternatif").FillAsync("Une halle en fer sous le soleil levant");
        await upload.GetByLabel("Fichier image").SetInputFilesAsync(new FilePayload { Name = "halle.jpg", MimeType = "image/jpeg", Buffer = Jpeg(960, 640) });
        await upload.GetByRole(AriaRole.Button, new() { Name = "Envoyer l’image" }).ClickAsync();

        // Still on the article: the new picture is chosen as hero and the autosave keeps it.
        await Expect(upload.Locator(".nr-upload-state")).ToHaveTextAsync("Image ajoutée et choisie comme image principale.");
        var mediumId = await site.WithDbAsync(db => db.Media.Where(m => m.Caption == caption).Select(m => m.Id).SingleAsync());
        await Expect(page.Locator("#hero")).ToHaveValueAsync(mediumId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#hero-thumb")).ToBeVisibleAsync();
        await Expect(page.Locator("#save-state")).ToHaveTextAsync(SavedAtRegex(), new() { Timeout = 20_000 });
        Assert.Equal(mediumId, await site.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId).Select(a => a.HeroMediaId).SingleAsync()));
        Assert.Equal(page.Url, $"{site.BaseUrl}/newsroom/articles/{articleId}");

        // The hero picker searches the library rather than listing it all.
        await page.GetByLabel("Chercher une image").FillAsync(caption[..20]);
        await Expect(page.Locator($"#hero option[value='{mediumId}']")).ToHaveCountAsync(1);

        // The library shows it; its page sets the focal point with a click.
        await page.GotoAsync("/newsroom/medias");
        await Expect(page.Locator(".nr-media-card").First).ToContainTextAsync(caption);
        await page.Locator($".nr-media-card a[href='/newsroom/medias/{mediumId}']").ClickAsync();
        await page.WaitForURLAsync($"**/newsroom/medias/{mediumId}");
        var image = page.Locator("#focal-image");
        var box = (await image.BoundingBoxAsync())!;
        await image.ClickAsync(new() { Position = new Position { X = box.Width * 0.25f, Y = box.Height * 0.75f } });
        var x = double.Parse(await page.Locator("#focalX").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var y = double.Parse(await page.Locator("#focalY").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(x, 0.23, 0.27);
        Assert.InRange(y, 0.73, 0.77);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Expect(page.Locator(".nr-notice")).ToHaveTextAsync("Image enregistrée.");
        var focal = await site.WithDbAsync(db => db.Media.Where(m => m.Id == mediumId).Select(m => new { m.FocalX, m.FocalY }).SingleAsync());
        Assert.Equal((x, y), (focal.FocalX, focal.FocalY));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Over_the_limit_kestrel_answers_with_the_clear_message_and_the_library_pages_pass_axe()
    {
        var journalist = await site.CreateUserAsync(Roles.Contributor, "Noé Faure");
        // axe-core is injected as a script: the newsroom's CSP (scripts from the site only) would block it.
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.BaseUrl, Locale = "fr-FR", BypassCSP = true });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(page, journalist.Email!);

        // Through Kestrel, past the endpoint's request limit (media limit plus form overhead): a page, not a reset or a 500.
        var form = context.APIRequest.CreateFormData();
        form.Append("credit", "Crédit");
        form.Append("file", new FilePayload { Name = "enorme.jpg", MimeType = "image/jpeg", Buffer = [.. Jpeg(200, 100), .. new byte[MediaBrowserSite.MaxBytes + (2 * 1024 * 1024)]] });
        var response = await context.APIRequest.PostAsync("/newsroom/medias", new() { Multipart = form, MaxRedirects = 0 });
        Assert.Equal(413, response.Status);
        Assert.Contains("dépasse 0,5 Mo", await response.TextAsync(), StringComparison.Ordinal);

        // A picture lacking its alt text, so the pages show their warnings too.
        var picture = context.APIRequest.CreateFormData();
        picture.Append("credit", "Noé Faure");
        picture.Append("caption", "Le quai à marée basse");
        picture.Append("file", new FilePayload { Name = "quai.jpg", MimeType = "image/jpeg", Buffer = Jpeg(640, 400) });
        await page.GotoAsync("/newsroom/medias");
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        picture.Append("__RequestVerificationToken", token!);
        var uploaded = await context.APIRequest.PostAsync("/newsroom/medias", new() { Multipart = picture, MaxRedirects = 0 });
        Assert.Equal(302, uploaded.Status);

        await page.GotoAsync("/newsroom/medias");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Médiathèque");
        await Expect(page.Locator(".nr-media-incomplete").First).ToBeVisibleAsync();
        Assert.Empty(await AxeAsync(page));
        await page.GotoAsync(uploaded.Headers["location"]);
        await Expect(page.Locator("#media-missing")).ToContainTextAsync("le texte alternatif");
        Assert.Empty(await AxeAsync(page));
        await context.CloseAsync();
    }

    private static async Task<List<string>> AxeAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = RepositoryFiles.AxeScript });
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async (tags) => {
              const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              if (results.passes.length === 0) throw new Error('axe-core checked nothing');
              return results.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
            }
            """, WcagTags);
        return result.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    [GeneratedRegex(@"/newsroom/articles/\d+$")]
    private static partial Regex ArticleUrlRegex();

    [GeneratedRegex(@"^Enregistré à ")]
    private static partial Regex SavedAtRegex();
}
