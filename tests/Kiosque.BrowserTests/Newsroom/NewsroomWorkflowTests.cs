using System.Text.RegularExpressions;
using Kiosque.BrowserTests.Infrastructure;
using Kiosque.Newsroom;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosque.BrowserTests.Newsroom;

/// <summary>A journalist and an editor take a story from a blank page to the public site, in Chromium.</summary>
public sealed partial class NewsroomWorkflowTests(NewsroomBrowserSite site) : IClassFixture<NewsroomBrowserSite>
{
    [Fact]
    public async Task A_journalist_writes_and_submits_an_editor_publishes_and_readers_see_it()
    {
        var (section, author) = await site.SeedAsync("Inès Morel");
        var journalist = await site.CreateUserAsync(Roles.Contributor, "Inès Morel");
        var editor = await site.CreateUserAsync(Roles.Editor, "Paul Vidal");

        var page = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(page, journalist.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Nouvel article" }).First.ClickAsync();
        await page.WaitForURLAsync(ArticleUrl());
        await page.Locator("#body-editor .ce-block").First.WaitForAsync();

        await page.GetByLabel("Surtitre").FillAsync("Logement");
        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("Méranne : trois familles expulsées à l’aube");
        await page.GetByLabel("Chapô").FillAsync("Les huissiers sont revenus malgré la trêve annoncée.");
        await page.GetByLabel("Rubrique").SelectOptionAsync(section.Id.ToString());
        await page.GetByLabel("Auteur 1").SelectOptionAsync(author.Id.ToString());

        // The body, block by block, with the keyboard as a journalist types it. Each step waits
        // for the editor to show the new block before typing on, as a person would.
        var writing = page.Locator("#body-editor");
        await writing.Locator(".ce-paragraph").First.ClickAsync();
        await page.Keyboard.TypeAsync("Les huissiers sont arrivés à six heures.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(writing.Locator(".ce-block")).ToHaveCountAsync(2);
        await page.Keyboard.PressAsync("Control+Shift+H");
        await Expect(writing.Locator(".ce-header")).ToHaveCountAsync(1);
        await writing.Locator(".ce-header").ClickAsync();
        await page.Keyboard.TypeAsync("Une trêve oubliée");
        await page.Keyboard.PressAsync("Enter");
        await Expect(writing.Locator(".ce-block")).ToHaveCountAsync(3);
        await page.Keyboard.PressAsync("Control+Shift+L");
        await Expect(writing.Locator(".cdx-list__item")).ToHaveCountAsync(1);
        await writing.Locator(".cdx-list__item-content").First.ClickAsync();
        await page.Keyboard.TypeAsync("Rue des Tanneurs");
        await page.Keyboard.PressAsync("Enter");
        await Expect(writing.Locator(".cdx-list__item")).ToHaveCountAsync(2);
        await page.Keyboard.TypeAsync("Quai de la Sève");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Enter");
        await Expect(writing.Locator(".ce-block")).ToHaveCountAsync(4);
        await page.Keyboard.PressAsync("Control+Shift+O");
        await Expect(writing.Locator(".nr-block-form")).ToHaveCountAsync(1);
        var quote = page.Locator("#body-editor .nr-block-form").Last;
        await quote.GetByLabel("Citation", new() { Exact = true }).FillAsync("Nous n’avions nulle part où aller.");
        await quote.GetByLabel("Source (obligatoire)").FillAsync("Une locataire expulsée");
        await quote.GetByLabel("Vérification").SelectOptionAsync("unverified");

        await Expect(page.Locator("#save-state")).ToHaveTextAsync(SavedAt(), new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Soumettre à la relecture" }).ClickAsync();
        await Expect(page.Locator("#article-status")).ToHaveTextAsync("À relire");
        var articleUrl = page.Url.Split('?')[0];
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publier maintenant" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.WaitForURLAsync("**/newsroom/connexion**");

        var editorPage = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(editorPage, editor.Email!);
        await editorPage.Locator("section:has(#review)").GetByRole(AriaRole.Link, new() { Name = "Méranne : trois familles expulsées à l’aube" }).ClickAsync();
        await editorPage.WaitForURLAsync(articleUrl);
        await editorPage.Locator("#body-editor .nr-block-form").WaitForAsync();
        await editorPage.GetByRole(AriaRole.Button, new() { Name = "Publier maintenant" }).ClickAsync();
        await Expect(editorPage.Locator("#article-status")).ToHaveTextAsync("Publié");
        await editorPage.GetByRole(AriaRole.Link, new() { Name = "voir l’article en ligne" }).ClickAsync();

        await Expect(editorPage.Locator("article h1")).ToHaveTextAsync("Méranne : trois familles expulsées à l’aube");
        var body = editorPage.Locator(".article-body");
        await Expect(body.Locator("p").First).ToHaveTextAsync("Les huissiers sont arrivés à six heures.");
        await Expect(body.Locator("h2")).ToHaveTextAsync("Une trêve oubliée");
        await Expect(body.Locator("ul li")).ToHaveTextAsync(["Rue des Tanneurs", "Quai de la Sève"]);
        await Expect(body.Locator("figure.quote cite")).ToHaveTextAsync("Une locataire expulsée");
        await Expect(body.Locator("figure.quote .sourcing")).ToContainTextAsync("Non vérifié");
        await Expect(editorPage.Locator("a[rel=author]")).ToHaveTextAsync("Inès Morel");
        await editorPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Autosave_survives_a_reload_and_pasted_word_processor_text_becomes_clean_blocks()
    {
        await site.SeedAsync("Autre Plume");
        var journalist = await site.CreateUserAsync(Roles.Contributor, "Lou Garnier");
        var page = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(page, journalist.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Nouvel article" }).First.ClickAsync();
        await page.WaitForURLAsync(ArticleUrl());
        await page.Locator("#body-editor .ce-block").First.WaitForAsync();

        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("Un texte qui ne doit pas se perdre");
        await page.Locator("#body-editor .ce-paragraph").First.ClickAsync();
        await page.Keyboard.TypeAsync("Écrit pendant une coupure de courant.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#body-editor .ce-block")).ToHaveCountAsync(2);
        await page.Locator("#body-editor .ce-paragraph").Nth(1).ClickAsync();
        // What Word or LibreOffice put on the clipboard: styled spans, Office tags, a heading, a list.
        await page.EvaluateAsync("""
            () => {
              const data = new DataTransfer();
              data.setData('text/html', '<p class="MsoNormal"><span style="mso-bidi-font-weight:bold"><b>Gras collé</b> depuis Word<o:p></o:p></span></p><h2 class="MsoHeading2">Intertitre collé</h2><ul><li class="MsoListParagraph">premier point</li><li>second point</li></ul><p><script>alert(1)</script>Fin</p>');
              data.setData('text/plain', 'Gras collé depuis Word');
              document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
            """);

        // No button pressed: the autosave alone keeps the work.
        await Expect(page.Locator("#save-state")).ToHaveTextAsync(SavedAt(), new() { Timeout = 20_000 });
        await page.ReloadAsync();
        await page.Locator("#body-editor .ce-block").First.WaitForAsync();

        await Expect(page.GetByLabel("Titre", new() { Exact = true })).ToHaveValueAsync("Un texte qui ne doit pas se perdre");
        var blocks = page.Locator("#body-editor");
        await Expect(blocks.Locator(".ce-paragraph").First).ToHaveTextAsync("Écrit pendant une coupure de courant.");
        await Expect(blocks.Locator(".ce-paragraph b")).ToHaveTextAsync("Gras collé");
        await Expect(blocks.Locator(".ce-header")).ToHaveTextAsync("Intertitre collé");
        await Expect(blocks.Locator("li, .cdx-list__item")).ToHaveCountAsync(2);
        var stored = await site.WithDbAsync(db => Task.FromResult(db.Articles.Single(a => a.Headline == "Un texte qui ne doit pas se perdre").Body));
        Assert.DoesNotContain("mso", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("script", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<span", stored, StringComparison.OrdinalIgnoreCase);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_journalists_on_one_article_get_a_conflict_and_merge_instead_of_overwriting()
    {
        await site.SeedAsync("Troisième Plume");
        var first = await site.CreateUserAsync(Roles.Contributor, "Nadia Ferrant");
        var second = await site.CreateUserAsync(Roles.Contributor, "Oskar Lind");

        var nadia = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(nadia, first.Email!);
        await nadia.GetByRole(AriaRole.Button, new() { Name = "Nouvel article" }).First.ClickAsync();
        await nadia.WaitForURLAsync(ArticleUrl());
        await nadia.Locator("#body-editor .ce-block").First.WaitForAsync();
        await nadia.GetByLabel("Titre", new() { Exact = true }).FillAsync("Titre de départ");
        await Expect(nadia.Locator("#save-state")).ToHaveTextAsync(SavedAt(), new() { Timeout = 20_000 });

        var oskar = await site.NewPageAsync();
        await NewsroomBrowserSite.SignInAsync(oskar, second.Email!);
        await oskar.GotoAsync(nadia.Url);
        await oskar.Locator("#body-editor .ce-block").First.WaitForAsync();

        await nadia.GetByLabel("Chapô").FillAsync("Le chapô de Nadia.");
        await Expect(nadia.Locator("#save-state")).ToHaveTextAsync(SavedAt(), new() { Timeout = 20_000 });
        await oskar.GetByLabel("Titre", new() { Exact = true }).FillAsync("Le titre d’Oskar");

        var conflict = oskar.Locator("#conflict");
        await Expect(conflict).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(conflict).ToContainTextAsync("Nadia Ferrant a enregistré une autre version");
        await conflict.GetByRole(AriaRole.Link, new() { Name = "Fusionner ma version avec la sienne" }).ClickAsync();
        await Expect(oskar.Locator("h1")).ToHaveTextAsync("Fusionner deux versions");
        await oskar.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la fusion" }).ClickAsync();
        await oskar.WaitForURLAsync("**?ok=merged");

        // Both changes are in: Nadia's standfirst and Oskar's headline.
        await Expect(oskar.GetByLabel("Titre", new() { Exact = true })).ToHaveValueAsync("Le titre d’Oskar");
        await Expect(oskar.GetByLabel("Chapô")).ToHaveValueAsync("Le chapô de Nadia.");
        await nadia.Context.CloseAsync();
        await oskar.Context.CloseAsync();
    }

    private static Regex ArticleUrl() => ArticleUrlRegex();

    private static Regex SavedAt() => SavedAtRegex();

    [GeneratedRegex(@"/newsroom/articles/\d+$")]
    private static partial Regex ArticleUrlRegex();

    [GeneratedRegex(@"^Enregistré à ")]
    private static partial Regex SavedAtRegex();
}
