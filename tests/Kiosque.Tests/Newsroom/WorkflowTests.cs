using System.Net;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kiosque.Tests.Infrastructure.EditorForm;

namespace Kiosque.Tests.Newsroom;

/// <summary>From a blank page to a published story, with every permission checked on the server.</summary>
public abstract class WorkflowTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private async Task<(Section Section, Author Author, Tag Tag)> SeedAsync()
    {
        var section = _content.Section("Social");
        var author = _content.Author("Inès Morel");
        var tag = _content.Tag("Logement");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, author, tag));
        return (section, author, tag);
    }

    /// <summary>A new draft made through the newsroom, with a headline, a byline and a body.</summary>
    private static async Task<int> WriteDraftAsync(HttpClient client, Section section, Author author, string headline)
    {
        var token = await client.TokenAsync("/newsroom");
        using var created = await client.PostAsync("/newsroom/articles", NewsroomSession.Form(token));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = int.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);
        var form = await LoadAsync(client, id);
        form.Set("headline", headline).Set("kicker", "Expulsions").Set("standfirst", "Un chapô.").Set("section", section.Id.ToString())
            .Set("authors", author.Id.ToString(), "", "", "").Set("slug", "")
            .Blocks(Block("paragraph", new { text = "Premier paragraphe." }));
        using var saved = await form.PostAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        return id;
    }

    private Task<Article> ArticleAsync(int id) =>
        site.WithDbAsync(db => db.Articles.AsNoTracking().Include(a => a.Authors).Include(a => a.Tags).FirstAsync(a => a.Id == id));

    [Fact]
    public async Task An_article_whose_hero_lacks_a_credit_cannot_be_published()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var id = await WriteDraftAsync(editor, section, author, "Une photo sans crédit");
            var photo = new MediaAsset { FileName = "test/sans-credit.jpg", Width = 1600, Height = 900, Caption = "Une place", Credit = "", Alt = "Une place vide", CreatedAt = DateTime.UtcNow };
            await site.WithDbAsync(async db =>
            {
                db.Media.Add(photo);
                await db.SaveChangesAsync();
                var article = await db.Articles.FirstAsync(a => a.Id == id);
                article.HeroMediaId = photo.Id;
                await db.SaveChangesAsync();
            });

            using var refused = await ActAsync(editor, id, "publish");

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Il manque le crédit à l’image", page, StringComparison.Ordinal);
            Assert.Contains("en tête d’article", page, StringComparison.Ordinal);
            Assert.NotEqual(ArticleStatus.Published, (await ArticleAsync(id)).Status);
        }
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, int id, string action, string? scheduledAt = null)
    {
        var token = await client.TokenAsync($"/newsroom/articles/{id}");
        var fields = new List<(string, string)> { ("action", action) };
        if (scheduledAt is not null)
        {
            fields.Add(("scheduledAt", scheduledAt));
        }
        return await client.PostAsync($"/newsroom/articles/{id}/statut", NewsroomSession.Form(token, [.. fields]));
    }

    [Fact]
    public async Task A_journalist_writes_and_submits_a_contributor_cannot_publish_an_editor_publishes()
    {
        var (section, author, tag) = await SeedAsync();
        var (journalist, _) = await site.SignedInAsync(Roles.Contributor);
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (journalist)
        using (editor)
        {
            var id = await WriteDraftAsync(journalist, section, author, "Méranne : les expulsions reprennent");
            var form = await LoadAsync(journalist, id);
            Assert.Equal("Méranne : les expulsions reprennent", form.Page.QuerySelector("#headline")!.GetAttribute("value"));
            var slug = form.Get("slug");
            Assert.StartsWith("meranne-les-expulsions-reprennent", slug, StringComparison.Ordinal);

            form.Set("tags", tag.Id.ToString()).Blocks(
                Block("paragraph", new { text = "Les huissiers sont revenus <b>dès l’aube</b>." }),
                Block("header", new { text = "Trois familles à la rue", level = 2 }),
                Block("quote", new { text = "Nous n’avions nulle part où aller.", source = "Une locataire", verification = "unverified", note = "Propos recueillis sur place." }),
                Block("list", new { style = "ordered", items = new[] { new { content = "Lundi", items = Array.Empty<object>() }, new { content = "Mardi", items = Array.Empty<object>() } } }),
                Block("embed", new { url = "https://video.example/expulsion", provider = "Vidéo", title = "La scène" }));
            using (var saved = await form.PostAsync(journalist))
            {
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            }
            var draft = await ArticleAsync(id);
            Assert.Equal(ArticleStatus.Draft, draft.Status);
            Assert.Equal(5, ArticleBody.Parse(draft.Body).Blocks.Count);
            Assert.Equal([tag.Id], draft.Tags.Select(t => t.TagId));
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{slug}")).StatusCode);

            // The journalist's dashboard lists the draft.
            var dashboard = await journalist.GetDocumentAsync("/newsroom");
            Assert.Contains(dashboard.QuerySelectorAll("section:has(#mine) a"), a => a.GetAttribute("href") == $"/newsroom/articles/{id}");

            using (var submitted = await ActAsync(journalist, id, "submit"))
            {
                Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            }
            Assert.Equal(ArticleStatus.Review, (await ArticleAsync(id)).Status);

            // A contributor cannot publish, schedule or unpublish: 403, and nothing changes.
            foreach (var action in new[] { "publish", "schedule", "unpublish" })
            {
                using var refused = await ActAsync(journalist, id, action, "2099-01-01T10:00");
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            }
            Assert.Equal(ArticleStatus.Review, (await ArticleAsync(id)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{slug}")).StatusCode);

            var review = await editor.GetDocumentAsync("/newsroom");
            Assert.Contains(review.QuerySelectorAll("section:has(#review) a"), a => a.GetAttribute("href") == $"/newsroom/articles/{id}");
            using (var published = await ActAsync(editor, id, "publish"))
            {
                Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
            }
            var live = await ArticleAsync(id);
            Assert.Equal(ArticleStatus.Published, live.Status);
            Assert.NotNull(live.PublishedAt);
            var page = await reader.GetDocumentAsync($"/article/{slug}");
            Assert.Equal("Méranne : les expulsions reprennent", page.QuerySelector("h1").Text());
            Assert.Equal("dès l’aube", page.QuerySelector(".article-body p b").Text());
            Assert.Equal("Une locataire", page.QuerySelector(".article-body figure.quote cite").Text());
            Assert.Equal(2, page.QuerySelectorAll(".article-body ol li").Length);

            // Published, the article is out of a contributor's hands.
            var locked = await LoadAsync(journalist, id);
            using (var edit = await locked.Set("headline", "Titre changé par un rédacteur").PostAsync(journalist))
            {
                Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
            }

            // Unpublished, it disappears; published again, it keeps its first publication date.
            using (var unpublished = await ActAsync(editor, id, "unpublish"))
            {
                Assert.Equal(HttpStatusCode.Redirect, unpublished.StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{slug}")).StatusCode);

            // Taken off the site, it stays in editors' hands: a contributor cannot send it back to
            // review or to draft (and so cannot edit it, its address included).
            foreach (var action in new[] { "submit", "draft" })
            {
                using var refused = await ActAsync(journalist, id, action);
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            }
            Assert.Equal(ArticleStatus.Unpublished, (await ArticleAsync(id)).Status);
            using (var stillLocked = await (await LoadAsync(journalist, id)).Set("slug", "adresse-detournee").PostAsync(journalist))
            {
                Assert.Equal(HttpStatusCode.Forbidden, stillLocked.StatusCode);
            }
            using (var again = await ActAsync(editor, id, "publish"))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }
            Assert.Equal(live.PublishedAt, (await ArticleAsync(id)).PublishedAt);
        }
    }

    [Fact]
    public async Task Drafts_and_their_previews_are_404_to_anonymous_readers_but_a_signed_link_opens_the_preview()
    {
        var (section, author, _) = await SeedAsync();
        var (journalist, _) = await site.SignedInAsync(Roles.Contributor);
        using var reader = site.Reader();
        using (journalist)
        {
            var id = await WriteDraftAsync(journalist, section, author, "Enquête sur le port, pas encore prête");
            var other = await WriteDraftAsync(journalist, section, author, "Un autre brouillon");
            var slug = (await ArticleAsync(id)).Slug;

            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/article/{slug}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/newsroom/articles/{id}/apercu")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/newsroom/articles/{id}/apercu?jeton=forged")).StatusCode);

            // Staff see the real article page, marked as a preview and kept out of search engines.
            var preview = await journalist.GetDocumentAsync($"/newsroom/articles/{id}/apercu");
            Assert.Equal("Enquête sur le port, pas encore prête", preview.QuerySelector("article h1").Text());
            Assert.Contains("Brouillon", preview.QuerySelector(".preview-notice").Text(), StringComparison.Ordinal);
            Assert.Equal("noindex", preview.QuerySelector("meta[name=robots]")!.GetAttribute("content"));

            var link = (await LoadAsync(journalist, id)).Page.QuerySelector("#shareable-preview")!.GetAttribute("value")!;
            using var shared = await reader.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
            Assert.Contains("no-store", shared.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            // The link opens that article only.
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(link.Replace($"/articles/{id}/", $"/articles/{other}/", StringComparison.Ordinal))).StatusCode);
        }
    }

    [Fact]
    public async Task The_article_list_searches_and_filters_by_status_section_and_author()
    {
        var (section, author, _) = await SeedAsync();
        var other = _content.Section("Culture");
        var published = _content.Article(section, "Grève au port de Méranne", authors: [author]);
        var draft = _content.Article(section, "Grève des dockers : le brouillon", status: ArticleStatus.Draft);
        var elsewhere = _content.Article(other, "Un festival en grève", authors: [author]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, other, published, draft, elsewhere));
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        using (client)
        {
            async Task<List<string>> Headlines(string query) =>
                (await client.GetDocumentAsync("/newsroom/articles?" + query)).QuerySelectorAll(".nr-table tbody td:first-child a").Select(a => a.Text()).ToList();

            Assert.Equal(["Grève au port de Méranne", "Grève des dockers : le brouillon"], (await Headlines($"q=GRÈVE&rubrique={section.Id}")).Order());
            Assert.Equal(["Grève des dockers : le brouillon"], await Headlines($"q=grève&rubrique={section.Id}&statut=Draft"));
            Assert.Equal(["Grève au port de Méranne", "Un festival en grève"], (await Headlines($"auteur={author.Id}")).Order());
            Assert.Empty(await Headlines($"q={_content.Unique("introuvable")}"));
            // Nonsense filters are ignored rather than failing.
            Assert.NotEmpty(await Headlines("statut=Explosé&rubrique=abc&auteur=-1&page=-4"));
        }
    }

    [Fact]
    public async Task The_article_list_finds_drafts_by_words_of_their_body_through_the_search_index()
    {
        var (section, _, _) = await SeedAsync();
        var marker = "zorglub" + Guid.NewGuid().ToString("N")[..8];
        var draft = _content.Article(section, "Un brouillon sans le mot dans son titre", status: ArticleStatus.Draft,
            body: ArticleBody.Of(new ParagraphBlock($"La répression des {marker}s a repris à l’aube.")));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, draft));
        var (client, _) = await site.SignedInAsync(Roles.Contributor);
        using (client)
        {
            // The indexer follows the change log: give it a few seconds, as a person would.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            List<string> found;
            do
            {
                found = (await client.GetDocumentAsync($"/newsroom/articles?q=repression {marker}"))
                    .QuerySelectorAll(".nr-table tbody td:first-child a").Select(a => a.Text()).ToList();
            }
            while (found.Count == 0 && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));
            Assert.Equal([draft.Headline], found);
        }
    }

    [Fact]
    public async Task Roles_are_enforced_on_every_newsroom_area()
    {
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var (admin, adminUser) = await site.SignedInAsync(Roles.Admin);
        var (section, author, _) = await SeedAsync();
        using (contributor)
        using (editor)
        using (admin)
        {
            foreach (var path in new[] { "/newsroom/une", "/newsroom/themes", "/newsroom/auteurs", "/newsroom/rubriques", "/newsroom/equipe", "/newsroom/journal" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await contributor.GetAsync(path)).StatusCode);
            }
            foreach (var path in new[] { "/newsroom/une", "/newsroom/themes", "/newsroom/auteurs" })
            {
                Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync(path)).StatusCode);
            }
            foreach (var path in new[] { "/newsroom/rubriques", "/newsroom/equipe", "/newsroom/journal" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync(path)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
            }
            // Posting is refused the same way, before anything is read.
            using var curate = await contributor.PostFormAsync("/newsroom/une", ("lead", "1"));
            Assert.Equal(HttpStatusCode.Forbidden, curate.StatusCode);
            using var correct = await contributor.PostFormAsync("/newsroom/articles/1/rectificatifs", ("text", "x"));
            Assert.Equal(HttpStatusCode.Forbidden, correct.StatusCode);
            using var promote = await editor.PostFormAsync("/newsroom/equipe", ("email", "x@y.test"), ("name", "X"), ("role", "admin"), ("password", "une phrase assez longue"));
            Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);

            // Sections, accounts and security settings are administrators' only, whatever an editor posts.
            using (var newSection = await editor.PostFormAsync("/newsroom/rubriques", ("name", "Rubrique pirate"), ("slug", "")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, newSection.StatusCode);
            }
            using (var renameSection = await editor.PostFormAsync($"/newsroom/rubriques/{section.Id}", ("name", "Renommée"), ("slug", section.Slug)))
            {
                Assert.Equal(HttpStatusCode.Forbidden, renameSection.StatusCode);
            }
            using (var demote = await editor.PostFormAsync($"/newsroom/equipe/{adminUser.Id}", ("action", "role"), ("role", Roles.Contributor)))
            {
                Assert.Equal(HttpStatusCode.Forbidden, demote.StatusCode);
            }
            using (var settings = await editor.PostFormAsync("/newsroom/reglages", ("requireTwoFactor", "true")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
            }
            Assert.Equal(section.Name, (await site.WithDbAsync(db => db.Sections.AsNoTracking().FirstAsync(x => x.Id == section.Id))).Name);

            // A scheduled piece is an editor's: a contributor cannot take it back to draft.
            var scheduled = await WriteDraftAsync(editor, section, author, "Un article programmé");
            using (var schedule = await ActAsync(editor, scheduled, "schedule", "2099-01-01T10:00")) { }
            using (var back = await ActAsync(contributor, scheduled, "draft"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, back.StatusCode);
            }
            Assert.Equal(ArticleStatus.Scheduled, (await ArticleAsync(scheduled)).Status);

            // A published piece: a contributor can neither restore an old version, nor merge, nor autosave.
            var published = await WriteDraftAsync(editor, section, author, "Un article publié et verrouillé");
            var first = int.Parse((await LoadAsync(editor, published)).Get("version"));
            var stale = await LoadAsync(editor, published);
            using (var saved = await (await LoadAsync(editor, published)).Set("headline", "Le titre publié").PostAsync(editor)) { }
            using (var refused = await stale.Set("headline", "Une version refusée").PostAsync(editor, script: true, kind: "autosave"))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            }
            var mergeUrl = await site.WithDbAsync(db => db.Revisions.Where(r => r.ArticleId == published && r.Kind == ArticleEditor.ConflictKind).Select(r => $"/newsroom/articles/{published}/fusion/{r.Id}").FirstAsync());
            using (var publish = await ActAsync(editor, published, "publish")) { }
            var before = await ArticleAsync(published);
            Assert.Equal(ArticleStatus.Published, before.Status);

            using (var restore = await contributor.PostFormAsync($"/newsroom/articles/{published}/revisions/{first}/restaurer"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, restore.StatusCode);
            }
            using (var merge = await contributor.PostFormAsync(mergeUrl, ("version", before.Version.ToString()), ("keep-headline", "mine")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, merge.StatusCode);
            }
            var form = await LoadAsync(contributor, published);
            using (var autosave = await form.Set("headline", "Titre changé en douce").PostAsync(contributor, script: true, kind: "autosave"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, autosave.StatusCode);
                Assert.NotEmpty(JsonDocument.Parse(await autosave.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!);
            }
            var after = await ArticleAsync(published);
            Assert.Equal("Le titre publié", after.Headline);
            Assert.Equal(before.Version, after.Version);
        }
    }

    [Fact]
    public async Task Two_people_saving_the_same_version_never_overwrite_each_other_silently()
    {
        var (section, author, _) = await SeedAsync();
        var (first, _) = await site.SignedInAsync(Roles.Contributor, "Première Plume");
        var (second, _) = await site.SignedInAsync(Roles.Contributor, "Seconde Plume");
        using (first)
        using (second)
        {
            var id = await WriteDraftAsync(first, section, author, "Un titre de départ");
            var mine = await LoadAsync(first, id);
            var theirs = await LoadAsync(second, id);

            using (var saved = await mine.Set("headline", "Le titre de la première").Set("kicker", "Surtitre de la première").PostAsync(first, script: true, kind: "autosave"))
            {
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
                Assert.Equal(int.Parse(mine.Get("version")) + 1, JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
            }

            using var conflict = await theirs.Set("headline", "Le titre de la seconde").Set("standfirst", "Le chapô de la seconde.").PostAsync(second, script: true, kind: "autosave");
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            var answer = JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("Première Plume", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("Rien n’a été écrasé", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
            var current = await ArticleAsync(id);
            Assert.Equal("Le titre de la première", current.Headline);
            Assert.Equal("Un chapô.", current.Standfirst);

            // Merge: the refused version was kept; each differing field offers both sides.
            var mergeUrl = answer.GetProperty("merge").GetString()!;
            var merge = await second.GetDocumentAsync(mergeUrl);
            var fields = merge.QuerySelectorAll("fieldset").ToDictionary(f => f.QuerySelector("legend").Text(), f => f);
            Assert.Equal(["Chapô", "Surtitre", "Titre"], fields.Keys.Order());
            // Only the other person changed the kicker: theirs is proposed; both changed the headline: mine is.
            Assert.Equal("theirs", fields["Surtitre"].QuerySelector("input:checked")!.GetAttribute("value"));
            Assert.Equal("mine", fields["Titre"].QuerySelector("input:checked")!.GetAttribute("value"));
            Assert.Equal("mine", fields["Chapô"].QuerySelector("input:checked")!.GetAttribute("value"));
            var token = merge.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            using (var merged = await second.PostAsync(mergeUrl, NewsroomSession.Form(token,
                ("version", merge.QuerySelector("input[name=version]")!.GetAttribute("value")!),
                ("keep-headline", "theirs"), ("keep-kicker", "theirs"), ("keep-standfirst", "mine"))))
            {
                Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
            }
            var result = await ArticleAsync(id);
            Assert.Equal("Le titre de la première", result.Headline);
            Assert.Equal("Surtitre de la première", result.Kicker);
            Assert.Equal("Le chapô de la seconde.", result.Standfirst);

            // The form without script says the same (naming the last save: the merge), with a way to merge.
            using var page = await theirs.PostAsync(second);
            Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
            var document = await Html.ParseAsync(page);
            Assert.Contains("Seconde Plume a enregistré une autre version", document.QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            Assert.Contains("/fusion/", document.QuerySelector("p.nr-conflict a")!.GetAttribute("href"), StringComparison.Ordinal);

            // Choosing to keep one's own version means saving on top of the current one, knowingly.
            var latest = (await ArticleAsync(id)).Version;
            using var kept = await theirs.Set("version", latest.ToString()).PostAsync(second, script: true);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            Assert.Equal("Le titre de la seconde", (await ArticleAsync(id)).Headline);
        }
    }

    [Fact]
    public async Task Autosaves_of_one_editing_session_keep_its_last_two_states_and_explicit_saves_their_own()
    {
        var (section, author, _) = await SeedAsync();
        var (journalist, _) = await site.SignedInAsync(Roles.Contributor);
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (journalist)
        using (editor)
        {
            var id = await WriteDraftAsync(journalist, section, author, "Le titre de départ");
            Task<int> RevisionsAsync() => site.WithDbAsync(db => db.Revisions.CountAsync(r => r.ArticleId == id));
            async Task AutosaveAsync(HttpClient client, string headline)
            {
                var page = await LoadAsync(client, id);
                using var saved = await page.Set("headline", headline).AutosaveAsync(client, page.Token);
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }
            var start = await RevisionsAsync();

            // Typing for a while: the autosave runs again and again; the session keeps its latest
            // state and the one before (a colleague's merge base).
            foreach (var headline in new[] { "Le titre d", "Le titre de l’en", "Le titre de l’enq", "Le titre de l’enquête" })
            {
                await AutosaveAsync(journalist, headline);
            }
            Assert.Equal(start + 2, await RevisionsAsync());
            var latest = await site.WithDbAsync(db => db.Revisions.Where(r => r.ArticleId == id).OrderByDescending(r => r.Id).FirstAsync());
            Assert.Equal("Le titre de l’enquête", latest.Read().Headline);
            Assert.Equal((await ArticleAsync(id)).Version, latest.Version);

            // An explicit save is always a revision of its own, and the next autosave starts another.
            using (var saved = await (await LoadAsync(journalist, id)).Set("headline", "Le titre enregistré").PostAsync(journalist)) { }
            Assert.Equal(start + 3, await RevisionsAsync());
            await AutosaveAsync(journalist, "Le titre retouché");
            await AutosaveAsync(journalist, "Le titre retouché encore");
            Assert.Equal(start + 5, await RevisionsAsync());
            // Someone else's autosave is theirs, not folded into the journalist's.
            await AutosaveAsync(editor, "Le titre relu");
            Assert.Equal(start + 6, await RevisionsAsync());
            Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync($"/newsroom/articles/{id}/revisions")).StatusCode);
        }
    }

    [Fact]
    public async Task An_autosave_over_the_form_limits_gets_413_with_a_message_not_a_500()
    {
        var (section, author, _) = await SeedAsync();
        var (journalist, _) = await site.SignedInAsync(Roles.Contributor);
        using (journalist)
        {
            var id = await WriteDraftAsync(journalist, section, author, "Un texte trop long");
            var page = await LoadAsync(journalist, id);
            // Over the 4 MB a form field may hold, URL-encoded as the autosave script sends it.
            using var huge = await page.Set("standfirst", new string('a', 4_300_000)).AutosaveAsync(journalist, page.Token);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
            Assert.Contains("rien n’a été enregistré", JsonDocument.Parse(await huge.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("Un texte trop long", (await ArticleAsync(id)).Headline);

            // The same as a plain form post (the token in the form): a page that says so.
            using var posted = await (await LoadAsync(journalist, id)).Set("standfirst", new string('a', 4_300_000)).PostAsync(journalist);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, posted.StatusCode);
            Assert.Contains("Envoi trop volumineux", (await Html.ParseAsync(posted)).QuerySelector("h1").Text(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_autosave_needs_the_antiforgery_token_in_its_header_and_a_refused_one_saves_nothing()
    {
        var (section, author, _) = await SeedAsync();
        var (journalist, _) = await site.SignedInAsync(Roles.Contributor);
        using (journalist)
        {
            var id = await WriteDraftAsync(journalist, section, author, "Le titre enregistré");
            var before = await ArticleAsync(id);
            var revisions = await site.WithDbAsync(db => db.Revisions.CountAsync(r => r.ArticleId == id));

            foreach (var token in new[] { null, "forged", "" })
            {
                var form = await LoadAsync(journalist, id);
                using var refused = await form.Set("headline", "Un titre glissé sans jeton").AutosaveAsync(journalist, token);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("Rien n’a été modifié", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            }
            var after = await ArticleAsync(id);
            Assert.Equal("Le titre enregistré", after.Headline);
            Assert.Equal(before.Version, after.Version);
            Assert.Equal(revisions, await site.WithDbAsync(db => db.Revisions.CountAsync(r => r.ArticleId == id)));

            // The page's own token in the header is what the script sends: that one saves.
            var page = await LoadAsync(journalist, id);
            using var saved = await page.Set("headline", "Le titre de l’autosave").AutosaveAsync(journalist, page.Token);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal("Le titre de l’autosave", (await ArticleAsync(id)).Headline);
        }
    }

    [Fact]
    public async Task The_dashboard_lists_scheduled_pieces_by_date_and_the_latest_published()
    {
        var section = _content.Section();
        var soon = _content.Article(section, "Programmé pour bientôt", status: ArticleStatus.Scheduled);
        var later = _content.Article(section, "Programmé pour plus tard", status: ArticleStatus.Scheduled);
        var live = _content.Article(section, "Tout juste publié", publishedAt: DateTime.UtcNow.AddMinutes(1));
        var inReview = _content.Article(section, "Encore en relecture", status: ArticleStatus.Review);
        (soon.PublishedAt, soon.ScheduledAt) = (null, DateTime.UtcNow.AddDays(300));
        (later.PublishedAt, later.ScheduledAt) = (null, DateTime.UtcNow.AddDays(301));
        inReview.PublishedAt = null;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, soon, later, live, inReview));
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var dashboard = await editor.GetDocumentAsync("/newsroom");
            List<string> Links(string list) => dashboard.QuerySelectorAll($"section:has(#{list}) tbody a").Select(a => a.GetAttribute("href")!).ToList();

            var scheduled = Links("scheduled");
            Assert.Contains($"/newsroom/articles/{soon.Id}", scheduled);
            Assert.True(scheduled.IndexOf($"/newsroom/articles/{soon.Id}") < scheduled.IndexOf($"/newsroom/articles/{later.Id}"));
            var soonRow = dashboard.QuerySelectorAll("section:has(#scheduled) tbody tr").First(r => r.QuerySelector("a")!.GetAttribute("href") == $"/newsroom/articles/{soon.Id}");
            Assert.Contains("programmé le", soonRow.Text(), StringComparison.Ordinal);

            var published = Links("published");
            Assert.Equal($"/newsroom/articles/{live.Id}", published[0]);
            Assert.Contains("publié le", dashboard.QuerySelectorAll("section:has(#published) tbody tr")[0].Text(), StringComparison.Ordinal);

            // Each piece in its own list only.
            Assert.DoesNotContain($"/newsroom/articles/{live.Id}", scheduled);
            Assert.DoesNotContain($"/newsroom/articles/{soon.Id}", published);
            Assert.DoesNotContain($"/newsroom/articles/{inReview.Id}", scheduled.Concat(published));
            Assert.Contains($"/newsroom/articles/{inReview.Id}", Links("review"));
        }
    }

    [Fact]
    public async Task Every_save_keeps_a_revision_any_two_compare_and_an_old_one_restores()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var id = await WriteDraftAsync(editor, section, author, "Le pont sera fermé");
            var first = int.Parse((await LoadAsync(editor, id)).Get("version"));
            using (var second = await (await LoadAsync(editor, id)).Set("headline", "Le pont restera ouvert").Blocks(Block("paragraph", new { text = "Finalement, la mairie recule." })).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
            }
            using (var third = await (await LoadAsync(editor, id)).Set("headline", "Le pont restera ouvert tout l’été").PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
            }
            var list = await editor.GetDocumentAsync($"/newsroom/articles/{id}/revisions");
            Assert.True(list.QuerySelectorAll("tbody tr").Length >= 3);

            var diff = await editor.GetDocumentAsync($"/newsroom/articles/{id}/revisions?de={first}&a={first + 1}");
            Assert.Contains(diff.QuerySelectorAll(".nr-diff del"), d => d.Text() == "sera fermé");
            Assert.Contains(diff.QuerySelectorAll(".nr-diff ins"), d => d.Text() == "restera ouvert");
            Assert.Contains(diff.QuerySelectorAll(".nr-diff ins"), d => d.Text().Contains("mairie", StringComparison.Ordinal));

            // Any two versions compare, not only neighbours: the first against the third…
            var across = await editor.GetDocumentAsync($"/newsroom/articles/{id}/revisions?de={first}&a={first + 2}");
            Assert.Contains(across.QuerySelectorAll(".nr-diff del"), d => d.Text() == "sera fermé");
            Assert.Contains(across.QuerySelectorAll(".nr-diff ins"), d => d.Text() == "restera ouvert tout l’été");
            Assert.Contains(across.QuerySelectorAll(".nr-diff ins"), d => d.Text().Contains("mairie", StringComparison.Ordinal));
            // …and the other way round, which reads as the undoing of those changes.
            var backwards = await editor.GetDocumentAsync($"/newsroom/articles/{id}/revisions?de={first + 2}&a={first}");
            Assert.Contains(backwards.QuerySelectorAll(".nr-diff del"), d => d.Text() == "restera ouvert tout l’été");
            Assert.Contains(backwards.QuerySelectorAll(".nr-diff ins"), d => d.Text() == "sera fermé");
            Assert.Contains(backwards.QuerySelectorAll(".nr-diff del"), d => d.Text().Contains("mairie", StringComparison.Ordinal));
            Assert.DoesNotContain(backwards.QuerySelectorAll(".nr-diff ins"), d => d.Text().Contains("mairie", StringComparison.Ordinal));

            using var restore = await editor.PostFormAsync($"/newsroom/articles/{id}/revisions/{first}/restaurer");
            Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
            var restored = await ArticleAsync(id);
            Assert.Equal("Le pont sera fermé", restored.Headline);
            Assert.Equal(first + 3, restored.Version);
            Assert.Equal("Premier paragraphe.", ((ParagraphBlock)ArticleBody.Parse(restored.Body).Blocks[0]).Text);
            var kinds = await site.WithDbAsync(db => db.Revisions.Where(r => r.ArticleId == id).OrderBy(r => r.Version).Select(r => r.Kind).ToListAsync());
            Assert.Equal($"restore:{first}", kinds[^1]);
            Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/newsroom/articles/{id}/revisions?de=9999&a={first}")).StatusCode);
        }
    }

    [Fact]
    public async Task Changing_a_published_slug_keeps_every_old_address_answering_301()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var id = await WriteDraftAsync(editor, section, author, "Premier titre du pont");
            using (var published = await ActAsync(editor, id, "publish")) { }
            var original = (await ArticleAsync(id)).Slug;
            var second = _content.Unique("deuxieme-adresse");
            var third = _content.Unique("troisieme-adresse");

            using (var renamed = await (await LoadAsync(editor, id)).Set("slug", second).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
            }
            using (var old = await reader.GetAsync($"/article/{original}"))
            {
                Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
                Assert.Equal($"/article/{second}", old.Headers.Location!.OriginalString);
            }
            using (var renamedAgain = await (await LoadAsync(editor, id)).Set("slug", third).PostAsync(editor)) { }
            // No chains: the first address goes straight to the newest.
            Assert.Equal($"/article/{third}", (await reader.GetAsync($"/article/{original}")).Headers.Location!.OriginalString);
            Assert.Equal($"/article/{third}", (await reader.GetAsync($"/article/{second}")).Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/article/{third}")).StatusCode);

            // Taking the first address back: it answers itself again, no loop.
            using (var back = await (await LoadAsync(editor, id)).Set("slug", original).PostAsync(editor)) { }
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/article/{original}")).StatusCode);
            Assert.Equal($"/article/{original}", (await reader.GetAsync($"/article/{third}")).Headers.Location!.OriginalString);

            // A slug another article uses is refused with a clear message.
            var otherId = await WriteDraftAsync(editor, section, author, "Un autre article");
            using var taken = await (await LoadAsync(editor, otherId)).Set("slug", original).PostAsync(editor);
            Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
            Assert.Contains("utilise déjà cette adresse", (await Html.ParseAsync(taken)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);

            // So is one of its old addresses, which still brings readers to it: no takeover.
            using (var takeover = await (await LoadAsync(editor, otherId)).Set("slug", second).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.BadRequest, takeover.StatusCode);
                Assert.Contains("ancienne adresse d’un autre article", (await Html.ParseAsync(takeover)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            using (var takeoverByScript = await (await LoadAsync(editor, otherId)).Set("slug", third).PostAsync(editor, script: true, kind: "autosave"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, takeoverByScript.StatusCode);
            }
            Assert.Equal($"/article/{original}", (await reader.GetAsync($"/article/{second}")).Headers.Location!.OriginalString);
            Assert.NotEqual(second, (await ArticleAsync(otherId)).Slug);
        }
    }

    [Fact]
    public async Task An_unpublished_piece_does_not_give_away_its_new_address_through_its_old_one()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            var id = await WriteDraftAsync(editor, section, author, "Une enquête à retirer");
            using (var published = await ActAsync(editor, id, "publish")) { }
            var original = (await ArticleAsync(id)).Slug;
            using (var unpublished = await ActAsync(editor, id, "unpublish")) { }
            using (var draft = await ActAsync(editor, id, "draft")) { }
            var secret = _content.Unique("nouvelle-adresse-secrete");
            using (var renamed = await (await LoadAsync(editor, id)).Set("slug", secret).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
            }

            using (var old = await reader.GetAsync($"/article/{original}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
                Assert.Null(old.Headers.Location);
                Assert.DoesNotContain(secret, await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Published again, the old address leads to it once more.
            using (var again = await ActAsync(editor, id, "publish")) { }
            using var followed = await reader.GetAsync($"/article/{original}");
            Assert.Equal(HttpStatusCode.MovedPermanently, followed.StatusCode);
            Assert.Equal($"/article/{secret}", followed.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_and_no_500()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var id = await WriteDraftAsync(editor, section, author, "Un article à maltraiter");
            using (var noSource = await (await LoadAsync(editor, id)).Blocks(Block("quote", new { text = "Une citation orpheline" })).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.BadRequest, noSource.StatusCode);
                Assert.Contains("Chaque citation doit indiquer sa source.", (await Html.ParseAsync(noSource)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            using (var garbage = await (await LoadAsync(editor, id)).Set("body", "<p>pas du JSON</p>").Set("section", "999999").Set("slug", "Pas Un Slug").PostAsync(editor, script: true))
            {
                Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
            }
            using (var tooLong = await (await LoadAsync(editor, id)).Set("headline", new string('x', 301)).PostAsync(editor))
            {
                Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            }
            using (var past = await ActAsync(editor, id, "schedule", "2001-01-01T10:00"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
            }
            using (var nonsense = await ActAsync(editor, id, "explode"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync("/newsroom/articles/987654321")).StatusCode);
            Assert.Equal("Un article à maltraiter", (await ArticleAsync(id)).Headline);
        }
    }

    [Fact]
    public async Task Editors_curate_the_home_page_lead_and_featured_pieces()
    {
        var section = _content.Section();
        var older = _content.Article(section, "Le dossier de la semaine", TestContent.Now.AddDays(-3));
        var featured = _content.Article(section, "Une enquête mise en avant", TestContent.Now.AddDays(-2));
        var newest = _content.Article(section, "La toute dernière dépêche", TestContent.Now);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, older, featured, newest));
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using var reader = site.Reader();
        using (editor)
        {
            using var curated = await editor.PostFormAsync("/newsroom/une", ("lead", older.Id.ToString()), ("featured", featured.Id.ToString()), ("featured", ""));
            Assert.Equal(HttpStatusCode.Redirect, curated.StatusCode);
            var home = await reader.GetDocumentAsync("/");
            Assert.Equal("Le dossier de la semaine", home.QuerySelector(".lead .card-headline").Text());
            Assert.Equal(["Une enquête mise en avant"], home.QuerySelectorAll(".featured .card-headline").Select(h => h.Text()));
            Assert.Contains(home.QuerySelectorAll(".latest .card-headline"), h => h.Text() == "La toute dernière dépêche");
            Assert.DoesNotContain(home.QuerySelectorAll(".latest .card-headline"), h => h.Text() == "Le dossier de la semaine");

            // Only published pieces can be chosen; clearing the choice gives the lead back to the newest.
            var draft = _content.Article(section, "Brouillon", status: ArticleStatus.Draft);
            await site.WithDbAsync(db => TestContent.SaveAsync(db, draft));
            using var refused = await editor.PostFormAsync("/newsroom/une", ("lead", draft.Id.ToString()));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var cleared = await editor.PostFormAsync("/newsroom/une", ("lead", ""));
            Assert.Null((await reader.GetDocumentAsync("/")).QuerySelector(".featured"));
        }
    }

    [Fact]
    public async Task Admins_read_who_did_what_in_the_audit_log_and_manage_sections()
    {
        var (section, author, _) = await SeedAsync();
        var (editor, _) = await site.SignedInAsync(Roles.Editor, "Éditrice Journalisée");
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        using var reader = site.Reader();
        using (editor)
        using (admin)
        {
            var id = await WriteDraftAsync(editor, section, author, "Un article audité");
            using (var published = await ActAsync(editor, id, "publish")) { }
            var log = await admin.GetDocumentAsync("/newsroom/journal");
            // The action in words (its code stays on the row for scripts), who did it, on what.
            var row = log.QuerySelectorAll("tbody tr[data-action='article.publish']").First(r => r.Text().Contains($"#{id}", StringComparison.Ordinal));
            Assert.Equal("Éditrice Journalisée", row.Children[1].Text());
            Assert.Equal("Publié", row.Children[2].Text());
            Assert.DoesNotContain("article.publish", row.Text(), StringComparison.Ordinal);

            var newSlug = _content.Unique("rubrique-renommee");
            using var renamed = await admin.PostFormAsync($"/newsroom/rubriques/{section.Id}", ("name", "Société"), ("slug", newSlug), ("description", "Renommée."), ("position", "3"));
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
            Assert.Equal($"/rubrique/{newSlug}", (await reader.GetAsync($"/rubrique/{section.Slug}")).Headers.Location!.OriginalString);
            using var created = await editor.PostFormAsync("/newsroom/themes", ("name", "Nouveau thème " + newSlug), ("slug", ""));
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            using var invalid = await editor.PostFormAsync("/newsroom/themes", ("name", ""), ("slug", "Pas valide"));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }
    }
}

public sealed class WorkflowSqliteTests(SqliteSite site) : WorkflowTests(site), IClassFixture<SqliteSite>;

public sealed class WorkflowPostgresTests(PostgresSite site) : WorkflowTests(site), IClassFixture<PostgresSite>;
