using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Search;
using Kiosque.Tests.Infrastructure;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Search;

/// <summary>
/// Search as readers use it (/recherche and /api/recherche) and as the newsroom will (the staff
/// search in code), on the real index following the real change log, on both databases.
/// </summary>
public abstract class SearchTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    /// <summary>A word no other test's content has, so a test sees only its own articles.</summary>
    private static string Word() => "kz" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(7).ToArray()) + "q";

    private static ArticleBody Body(params string[] paragraphs) => ArticleBody.Of(paragraphs.Select(p => (Block)new ParagraphBlock(p)).ToArray());

    private async Task SaveAndIndexAsync(params object[] entities)
    {
        await site.WithDbAsync(db => TestContent.SaveAsync(db, entities));
        await site.WaitForSearchIndexAsync();
    }

    private static List<string> Links(IDocument page) =>
        page.QuerySelectorAll(".search-result .card-headline a").Select(a => a.GetAttribute("href")!).ToList();

    private static string Path(Article article) => $"/article/{article.Slug}";

    private static async Task<JsonElement> JsonAsync(HttpClient client, string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync("/api/recherche?" + query);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static List<string> Slugs(JsonElement json) => json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("slug").GetString()!).ToList();

    [Fact]
    public async Task The_header_of_every_page_has_a_search_form_that_works_without_javascript()
    {
        using var client = site.Reader();
        var page = await client.GetDocumentAsync("/");

        var form = page.QuerySelector("header form[role=search]")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/recherche", form.GetAttribute("action"));
        var input = form.QuerySelector("input[name=q]")!;
        Assert.Equal("Mots à chercher", form.QuerySelector($"label[for={input.Id}]").Text());
        Assert.NotNull(form.QuerySelector("button[type=submit]"));

        var empty = await client.GetDocumentAsync("/recherche");
        Assert.Equal("Recherche", empty.QuerySelector("h1").Text());
        Assert.Equal("noindex", empty.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
        Assert.Empty(Links(empty));
    }

    [Fact]
    public async Task Search_folds_accents_handles_elisions_and_stems_in_French()
    {
        var section = _content.Section();
        var article = _content.Article(section, "Almaty. La répression s’intensifie", body: Body("Selon l’armée, les manifestants ont été dispersés dans la nuit."));
        var other = _content.Article(section, "Un sujet sans rapport", body: Body("Rien à voir."));
        await SaveAndIndexAsync(section, article, other);
        using var client = site.Reader();

        foreach (var words in new[] { "repression", "RÉPRESSION", "armée", "l'armee", "l’armée", "armées", "manifestant", "Manifestante", "almaty" })
        {
            var page = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString(words)}&rubrique={section.Slug}");
            Assert.True(Links(page).SequenceEqual([Path(article)]), $"« {words} » should find the article");
        }
    }

    [Fact]
    public async Task Quotes_search_for_an_exact_phrase()
    {
        var section = _content.Section();
        var phrase = _content.Article(section, "Le président appelle à la fermeté", body: Body("Il a ordonné d’ouvrir le feu sur la foule."));
        var scattered = _content.Article(section, "Un incendie près du port", body: Body("Les pompiers veulent ouvrir une enquête sur ce feu."));
        await SaveAndIndexAsync(section, phrase, scattered);
        using var client = site.Reader();

        var exact = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString("\"ouvrir le feu\"")}&rubrique={section.Slug}");
        Assert.Equal([Path(phrase)], Links(exact));
        var french = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString("«ouvrir le feu»")}&rubrique={section.Slug}");
        Assert.Equal([Path(phrase)], Links(french));
        var loose = await client.GetDocumentAsync($"/recherche?q=ouvrir+feu&rubrique={section.Slug}");
        Assert.Equal(2, Links(loose).Count);
    }

    [Fact]
    public async Task A_phrase_of_neighbouring_words_finds_them_side_by_side_in_any_part_and_any_form()
    {
        var section = _content.Section();
        var inBody = _content.Article(section, "Budget voté", body: Body("Le conseil municipal a voté le budget."));
        var inStandfirst = _content.Article(section, "Séance houleuse");
        inStandfirst.Standfirst = "Les conseils municipaux se réunissent en urgence.";
        var apart = _content.Article(section, "Un conseil", body: Body("Le conseil de quartier et le vote municipal."));
        var threeWords = _content.Article(section, "Trois mots", body: Body("La présidente du conseil municipal extraordinaire démissionne."));
        await SaveAndIndexAsync(section, inBody, inStandfirst, apart, threeWords);
        using var client = site.Reader();

        // Plural and accents folded as for words; "conseil … municipal" with words between is no phrase.
        var pair = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString("\"Conseil municipal\"")}&rubrique={section.Slug}&tri=date");
        Assert.Equal(new[] { Path(inBody), Path(inStandfirst), Path(threeWords) }.Order(), Links(pair).Order());
        var longer = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString("\"conseil municipal extraordinaire\"")}&rubrique={section.Slug}");
        Assert.Equal([Path(threeWords)], Links(longer));
        var reversed = await client.GetDocumentAsync($"/recherche?q={Uri.EscapeDataString("\"municipal conseil\"")}&rubrique={section.Slug}");
        Assert.Empty(Links(reversed));
    }

    [Fact]
    public async Task Headline_matches_rank_first_and_date_sort_puts_the_newest_first()
    {
        var section = _content.Section();
        var word = Word();
        var inHeadline = _content.Article(section, $"Les chantiers {word} ferment", TestContent.Now.AddDays(-30), body: Body("Un texte sur autre chose."));
        var inBody = _content.Article(section, "Une autre histoire", TestContent.Now.AddDays(-1), body: Body($"Il est aussi question des chantiers {word} ici, en passant."));
        await SaveAndIndexAsync(section, inHeadline, inBody);
        using var client = site.Reader();

        var relevance = await client.GetDocumentAsync($"/recherche?q={word}");
        Assert.Equal([Path(inHeadline), Path(inBody)], Links(relevance));
        Assert.Equal("2 articles trouvés", relevance.QuerySelector(".search-count").Text());

        var byDate = await client.GetDocumentAsync($"/recherche?q={word}&tri=date");
        Assert.Equal([Path(inBody), Path(inHeadline)], Links(byDate));
        Assert.NotNull(byDate.QuerySelector("select[name=tri] option[value=date][selected]"));
    }

    [Fact]
    public async Task Filters_by_section_tag_author_and_dates_combine_with_the_words()
    {
        var word = Word();
        var first = _content.Section("Social");
        var second = _content.Section("Culture");
        var tag = _content.Tag("Grèves");
        var nadia = _content.Author("Nadia Ferrant");
        var oskar = _content.Author("Oskar Lind");
        var a1 = _content.Article(first, $"Premier {word}", new DateTime(2022, 1, 7, 10, 0, 0, DateTimeKind.Utc), authors: [nadia], tags: [tag]);
        var a2 = _content.Article(second, $"Deuxième {word}", new DateTime(2023, 6, 1, 10, 0, 0, DateTimeKind.Utc), authors: [oskar]);
        var a3 = _content.Article(first, $"Troisième {word}", new DateTime(2024, 3, 1, 10, 0, 0, DateTimeKind.Utc), authors: [oskar, nadia]);
        await SaveAndIndexAsync(first, second, tag, nadia, oskar, a1, a2, a3);
        using var client = site.Reader();

        async Task<List<string>> Found(string filters) =>
            Links(await client.GetDocumentAsync($"/recherche?q={word}&tri=date{filters}"));

        Assert.Equal([Path(a3), Path(a2), Path(a1)], await Found(""));
        Assert.Equal([Path(a3), Path(a1)], await Found($"&rubrique={first.Slug}"));
        Assert.Equal([Path(a1)], await Found($"&theme={tag.Slug}"));
        Assert.Equal([Path(a3), Path(a2)], await Found($"&auteur={oskar.Slug}"));
        Assert.Equal([Path(a3), Path(a2)], await Found("&du=2023-01-01"));
        Assert.Equal([Path(a2), Path(a1)], await Found("&au=2023-06-01"));
        Assert.Equal([Path(a2)], await Found("&du=2023-06-01&au=2023-06-01"));
        Assert.Equal([Path(a3)], await Found($"&rubrique={first.Slug}&auteur={oskar.Slug}&du=2023-01-01"));
        Assert.Empty(await Found($"&rubrique={second.Slug}&theme={tag.Slug}"));

        // Filters without words browse, newest first; the form shows what is selected.
        var browse = await client.GetDocumentAsync($"/recherche?rubrique={first.Slug}");
        Assert.Equal([Path(a3), Path(a1)], Links(browse));
        Assert.Equal(first.Slug, browse.QuerySelector("select[name=rubrique] option[selected]")!.GetAttribute("value"));
        var tagged = await client.GetDocumentAsync($"/recherche?q={word}&theme={tag.Slug}");
        Assert.Contains(tag.Name, tagged.QuerySelector(".search-active").Text(), StringComparison.Ordinal);
        Assert.Equal($"/recherche?q={word}", tagged.QuerySelector(".search-active a")!.GetAttribute("href"));

        var json = await JsonAsync(client, $"q={word}&auteur={nadia.Slug}&tri=date");
        Assert.Equal([a3.Slug, a1.Slug], Slugs(json));
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.Equal($"https://journal.test/article/{a3.Slug}", json.GetProperty("results")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Results_show_where_the_words_matched_with_the_text_escaped()
    {
        var section = _content.Section();
        var word = Word();
        var body = ArticleBody.Of(
            new ParagraphBlock("Un premier paragraphe pour planter le décor, sans les mots cherchés."),
            new ParagraphBlock($"Des milliers de <b>manifestants</b> ont défilé à {word} malgré l’interdiction."),
            new QuoteBlock("<img src=x onerror=alert(1)> Nous ne céderons pas", new QuoteSource("Syndicat <script>des mineurs</script>")));
        var article = _content.Article(section, "Une journée de mobilisation", body: body);
        await SaveAndIndexAsync(section, article);
        using var client = site.Reader();

        var page = await client.GetDocumentAsync($"/recherche?q=manifestant+{word}");
        var snippet = page.QuerySelector(".search-result .snippet")!;
        Assert.Equal(["manifestants", word], snippet.QuerySelectorAll("mark").Select(m => m.Text()));
        Assert.Contains("ont défilé à", snippet.Text(), StringComparison.Ordinal);

        var hostile = await client.GetDocumentAsync($"/recherche?q=cederons+mineurs&rubrique={section.Slug}");
        Assert.Equal([Path(article)], Links(hostile));
        Assert.Null(hostile.QuerySelector(".snippet img, .snippet script, main img[src=x]"));
        Assert.Contains("<img src=x", hostile.QuerySelector(".snippet").Text(), StringComparison.Ordinal);

        var json = await JsonAsync(client, $"q=manifestants+{word}");
        Assert.Contains("<mark>manifestants</mark>", json.GetProperty("results")[0].GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drafts_and_other_unpublished_pieces_never_appear_in_public_results_but_staff_find_them()
    {
        var section = _content.Section();
        var word = Word();
        var published = _content.Article(section, $"Publié {word}");
        var hidden = new[] { ArticleStatus.Draft, ArticleStatus.Review, ArticleStatus.Scheduled, ArticleStatus.Unpublished }
            .Select(status => _content.Article(section, $"Caché {status} {word}", TestContent.Now.AddHours(status == ArticleStatus.Scheduled ? 5 : -2), status: status))
            .ToList();
        await SaveAndIndexAsync([section, published, .. hidden]);
        using var client = site.Reader();

        Assert.Equal([Path(published)], Links(await client.GetDocumentAsync($"/recherche?q={word}")));
        Assert.Equal([Path(published)], Links(await client.GetDocumentAsync($"/recherche?rubrique={section.Slug}")));
        Assert.Equal([Path(published)], Links(await client.GetDocumentAsync($"/recherche?q={word}&tri=date")));
        Assert.Empty(Links(await client.GetDocumentAsync($"/recherche?q=cache+{word}")));
        Assert.Equal([published.Slug], Slugs(await JsonAsync(client, $"q={word}")));
        var html = await (await client.GetAsync($"/recherche?q=cache+{word}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Caché", html, StringComparison.Ordinal);

        // The newsroom's search (staff only) sees every status; the public one never does.
        var index = site.Services.GetRequiredService<SearchIndex>();
        var staff = index.Search(new SearchRequest { Text = word, IncludeUnpublished = true, PageSize = 20 });
        Assert.Equal(5, staff.Total);
        Assert.Equal(
            [ArticleStatus.Draft, ArticleStatus.Review, ArticleStatus.Scheduled, ArticleStatus.Published, ArticleStatus.Unpublished],
            staff.Hits.Select(h => h.Status).Order());
        var staffDrafts = index.Search(new SearchRequest { Text = "cache " + word, IncludeUnpublished = true, Sort = SearchSort.Date });
        Assert.Equal(4, staffDrafts.Total);
        var reader = index.Search(new SearchRequest { Text = word });
        Assert.Equal([published.Id], reader.Hits.Select(h => h.Id));

        // Unpublishing takes it out of public results.
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == published.Id);
            stored.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });
        await SearchWaits.EventuallyAsync(async () => (await JsonAsync(client, $"q={word}")).GetProperty("total").GetInt32() == 0, "the unpublished article leaves the results");
        Assert.Empty(Links(await client.GetDocumentAsync($"/recherche?q={word}")));
        Assert.Equal(5, index.Search(new SearchRequest { Text = word, IncludeUnpublished = true }).Total);
    }

    [Theory]
    [InlineData("q=AND%20OR%20(%20%5B%20~%20*")]
    [InlineData("q=*:*")]
    [InlineData("q=headline:x%5E99%20OR%20body:y~2")]
    [InlineData("q=%00%01%02%1F%7F%C2%85")]
    [InlineData("q=%ff%fe%c3%28")]
    [InlineData("q=%ED%A0%80%F0%9F%92")]
    [InlineData("q=%22")]
    [InlineData("q=%C2%AB")]
    [InlineData("q=le%20la%20les")]
    [InlineData("q=a&q=b")]
    [InlineData("q=%3Cscript%3Ealert(1)%3C/script%3E")]
    [InlineData("q=x&rubrique=%00&theme=%27%20OR%201=1&auteur=%ff")]
    [InlineData("q=x&page=99999")]
    [InlineData("q=x&tri=date&page=2147483647")]
    [InlineData("q=x&page=2147483647")]
    [InlineData("q=x&tri=date&page=178956971")]
    [InlineData("q=x&tri=date&page=2147483648")]
    [InlineData("q=x&page=99999999999999999999")]
    [InlineData("rubrique=inconnue&tri=date&page=2147483647")]
    [InlineData("rubrique=inconnue")]
    public async Task Hostile_queries_get_results_or_a_clear_message_never_a_500(string query)
    {
        using var client = site.Reader();

        using var page = await client.GetAsync("/recherche?" + query);
        Assert.Contains((int)page.StatusCode, new[] { 200, 400, 404 });
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        var document = await Html.ParseAsync(page);
        Assert.NotEmpty(document.QuerySelector("h1").Text());

        using var api = await client.GetAsync("/api/recherche?" + query);
        Assert.Contains((int)api.StatusCode, new[] { 200, 400 });
        var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        if (api.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
            Assert.NotEmpty(json.GetProperty("detail").GetString()!);
        }
    }

    [Fact]
    public async Task Overlong_queries_and_bad_filters_get_a_clear_message()
    {
        using var client = site.Reader();

        var huge = Uri.EscapeDataString(string.Concat(Enumerable.Repeat("répression ", 1000)));
        var page = await client.GetDocumentAsync($"/recherche?q={huge}", 400);
        Assert.Equal("Votre recherche est trop longue : 300 caractères au plus.", page.QuerySelector(".search-message").Text());
        var problem = await JsonAsync(client, $"q={huge}", HttpStatusCode.BadRequest);
        Assert.Contains("300", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var badDate = await client.GetDocumentAsync("/recherche?q=greve&du=2024-13-45", 400);
        Assert.Contains("AAAA-MM-JJ", badDate.QuerySelector(".search-message").Text(), StringComparison.Ordinal);
        Assert.Equal("2024-13-45", badDate.QuerySelector("input[name=du]")!.GetAttribute("value"));
        await client.GetDocumentAsync("/recherche?q=greve&du=2024-05-01&au=2024-01-01", 400);
        await client.GetDocumentAsync("/recherche?q=greve&tri=hasard", 400);
        await client.GetDocumentAsync("/recherche?q=greve&page=0", 404);
        await JsonAsync(client, "q=greve&du=hier", HttpStatusCode.BadRequest);
        await JsonAsync(client, "q=greve&page=-1", HttpStatusCode.BadRequest);
        await JsonAsync(client, "", HttpStatusCode.BadRequest);

        var stopWords = await client.GetDocumentAsync("/recherche?q=le+la+les");
        Assert.Contains("mots trop courants", stopWords.QuerySelector(".search-message").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_found_gives_a_helpful_page()
    {
        var section = _content.Section("Écologie");
        await SaveAndIndexAsync(section);
        using var client = site.Reader();

        var page = await client.GetDocumentAsync($"/recherche?q={Word()}&rubrique={section.Slug}");

        Assert.Empty(Links(page));
        Assert.Contains("Aucun article ne correspond", page.QuerySelector(".search-empty").Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($".search-empty a[href='/rubrique/{section.Slug}']"));
        Assert.NotNull(page.QuerySelector(".search-empty a[href^='/recherche?q=']"));
    }

    [Fact]
    public async Task Results_are_paginated()
    {
        var section = _content.Section();
        var word = Word();
        var articles = Enumerable.Range(1, 14).Select(i => _content.Article(section, $"Papier {i} {word}", TestContent.Now.AddHours(-i))).ToArray<object>();
        await SaveAndIndexAsync([section, .. articles]);
        using var client = site.Reader();

        var first = await client.GetDocumentAsync($"/recherche?q={word}&tri=date");
        Assert.Equal(12, Links(first).Count);
        Assert.Equal($"/recherche?q={word}&tri=date&page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        var second = await client.GetDocumentAsync($"/recherche?q={word}&tri=date&page=2");
        Assert.Equal(["Papier 13 " + word, "Papier 14 " + word], second.QuerySelectorAll(".search-result .card-headline").Select(h => h.Text()));
        Assert.Equal("Page 2 sur 2", second.QuerySelector(".pager-position").Text());
        await client.GetDocumentAsync($"/recherche?q={word}&page=3", 404);
        var json = await JsonAsync(client, $"q={word}&page=2");
        Assert.Equal(2, json.GetProperty("results").GetArrayLength());
        Assert.Equal(2, json.GetProperty("pageCount").GetInt32());
    }

    [Theory]
    [InlineData(SearchSort.Date)]
    [InlineData(SearchSort.Relevance)]
    public async Task A_page_far_past_the_end_is_empty_in_the_index_itself(SearchSort sort)
    {
        // The newsroom calls the index with any int: the page's offset must not wrap around.
        var section = _content.Section();
        var word = Word();
        await SaveAndIndexAsync(section, _content.Article(section, $"Papier {word}"));
        var index = site.Services.GetRequiredService<SearchIndex>();

        foreach (var page in new[] { int.MaxValue, 178_956_971, 10_000 })
        {
            var results = index.Search(new SearchRequest { Text = word, Sort = sort, Page = page, PageSize = 12, IncludeUnpublished = true });
            Assert.Empty(results.Hits);
            Assert.Equal(1, results.Total);
        }
    }

    [Fact]
    public async Task Publishing_editing_renaming_and_deleting_reach_the_index_within_seconds()
    {
        var section = _content.Section();
        var word = Word();
        var draft = _content.Article(section, $"Brouillon {word}", status: ArticleStatus.Draft);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, draft));
        using var client = site.Reader();
        async Task<List<string>> Found(string words) => Slugs(await JsonAsync(client, $"q={Uri.EscapeDataString(words)}"));
        var limit = TimeSpan.FromSeconds(5);

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == draft.Id);
            stored.Status = ArticleStatus.Published;
            stored.PublishedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        });
        await SearchWaits.EventuallyAsync(async () => (await Found(word)).SequenceEqual([draft.Slug]), "the published article is found", limit);

        var renamed = Word();
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == draft.Id);
            stored.Headline = $"Nouveau titre {renamed}";
            await db.SaveChangesAsync();
        });
        await SearchWaits.EventuallyAsync(async () => (await Found(renamed)).Count == 1, "the new headline is found", limit);

        var sectionName = Word();
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Sections.SingleAsync(s => s.Id == section.Id);
            stored.Name = sectionName;
            await db.SaveChangesAsync();
        });
        await SearchWaits.EventuallyAsync(async () => (await Found(sectionName)).Count == 1, "the article is found by its section's new name", limit);

        await site.WithDbAsync(async db =>
        {
            db.Articles.Remove(await db.Articles.SingleAsync(a => a.Id == draft.Id));
            await db.SaveChangesAsync();
        });
        await SearchWaits.EventuallyAsync(async () => (await Found(word)).Count == 0, "the deleted article leaves the index", limit);
    }

    [Fact]
    public async Task Related_articles_come_from_the_index_favouring_similar_tagged_and_recent_pieces()
    {
        var (w1, w2, w3) = (Word(), Word(), Word());
        var text = $"Les {w1} du delta racontent la crue. Les {w2} ont quitté les digues, et les {w3} attendent l’aide promise.";
        var section = _content.Section();
        var tag = _content.Tag("Crue");
        var article = _content.Article(section, "La crue du delta", TestContent.Now.AddHours(-3), tags: [tag], body: Body(text));
        var recentTwin = _content.Article(_content.Section(), "Après la crue", TestContent.Now.AddDays(-2), body: Body(text));
        var oldTwin = _content.Article(_content.Section(), "Une crue ancienne", TestContent.Now.AddDays(-900), body: Body(text));
        var sameTag = _content.Article(_content.Section(), "Un autre papier du thème", TestContent.Now.AddDays(-5), tags: [tag], body: Body("Sans les mêmes mots."));
        var draftTwin = _content.Article(section, "Brouillon jumeau", status: ArticleStatus.Draft, body: Body(text));
        var unrelated = _content.Article(_content.Section(), "Un festival sans rapport", TestContent.Now.AddMinutes(-5), body: Body("Musique et danse."));
        await SaveAndIndexAsync(section, tag, article, recentTwin, oldTwin, sameTag, draftTwin, unrelated);
        using var client = site.Reader();

        var page = await client.GetDocumentAsync(Path(article));

        var related = page.QuerySelectorAll(".related .card-headline a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains(Path(recentTwin), related);
        Assert.Contains(Path(oldTwin), related);
        Assert.Contains(Path(sameTag), related);
        Assert.True(related.IndexOf(Path(recentTwin)) < related.IndexOf(Path(oldTwin)), "the recent twin comes before the old one");
        Assert.DoesNotContain(Path(article), related);
        Assert.DoesNotContain(Path(draftTwin), related);
        Assert.DoesNotContain(Path(unrelated), related);
    }

    [Fact]
    public async Task After_a_restart_the_index_catches_up_from_its_own_position_without_duplicates()
    {
        site.SkipIfUnavailable();
        var first = new KiosqueFactory(site.Kind) { KeepData = true };
        var word = Word();
        var section = _content.Section();
        var before = _content.Article(section, $"Avant l’arrêt {word}");
        string generation;
        long position;
        await using (first)
        {
            await first.WithDbAsync(db => TestContent.SaveAsync(db, section, before));
            await first.WaitForSearchIndexAsync();
            var index = first.Services.GetRequiredService<SearchIndex>();
            generation = index.CurrentName!;
            position = index.Position;
        }

        // While the node is down: another node publishes, and this node's last commit is rewound
        // as if it had crashed after indexing but before recording its position.
        var during = _content.Article(section, $"Pendant l’arrêt {word}");
        await using (var db = OpenDatabase(first))
        {
            await TestContent.SaveAsync(db, during);
        }
        using (var directory = FSDirectory.Open(System.IO.Path.Combine(first.DataDirectory, "search", generation)))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(FrenchSearchAnalyzer.Version, new FrenchSearchAnalyzer())))
        {
            writer.SetCommitData(SearchIndex.CommitData(0, SearchIndex.Schema));
            writer.Commit();
        }

        await using var second = new KiosqueFactory(first);
        await second.WaitForSearchIndexAsync();
        var restarted = second.Services.GetRequiredService<SearchIndex>();
        Assert.Equal(generation, restarted.CurrentName);
        Assert.True(restarted.Position > position);
        using var client = second.Reader();
        var json = await JsonAsync(client, $"q={word}&tri=date");
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.Equal(new[] { before.Slug, during.Slug }.Order(), Slugs(json).Order());
    }

    [Fact]
    public async Task An_index_written_by_an_older_version_is_rebuilt_aside_and_swapped_in()
    {
        site.SkipIfUnavailable();
        var first = new KiosqueFactory(site.Kind) { KeepData = true };
        var word = Word();
        var section = _content.Section();
        var article = _content.Article(section, $"Le conseil municipal {word}");
        string generation;
        await using (first)
        {
            await first.WithDbAsync(db => TestContent.SaveAsync(db, section, article));
            await first.WaitForSearchIndexAsync();
            generation = first.Services.GetRequiredService<SearchIndex>().CurrentName!;
        }
        // What the first version wrote: a position and no schema.
        using (var directory = FSDirectory.Open(System.IO.Path.Combine(first.DataDirectory, "search", generation)))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(FrenchSearchAnalyzer.Version, new FrenchSearchAnalyzer())))
        {
            writer.SetCommitData(new Dictionary<string, string> { [SearchIndex.PositionKey] = writer.CommitData[SearchIndex.PositionKey] });
            writer.Commit();
        }

        await using var second = new KiosqueFactory(first);
        var index = second.Services.GetRequiredService<SearchIndex>();
        await SearchWaits.EventuallyAsync(() => Task.FromResult(index.CurrentName is { } name && name != generation), "a new index replaces the old one");
        Assert.False(index.IsOutdated);
        using var client = second.Reader();
        var json = await JsonAsync(client, $"q={Uri.EscapeDataString($"\"conseil municipal\" {word}")}");
        Assert.Equal([article.Slug], Slugs(json));
    }

    private static KiosqueDb OpenDatabase(KiosqueFactory site) => site.Kind == DatabaseKind.Postgres
        ? new PostgresKiosqueDb(new DbContextOptionsBuilder<PostgresKiosqueDb>().UseNpgsql(site.ConnectionString).Options)
        : new SqliteKiosqueDb(new DbContextOptionsBuilder<SqliteKiosqueDb>().UseSqlite(site.ConnectionString).Options);
}

public sealed class SearchSqliteTests(SqliteSite site) : SearchTests(site), IClassFixture<SqliteSite>;

public sealed class SearchPostgresTests(PostgresSite site) : SearchTests(site), IClassFixture<PostgresSite>;
