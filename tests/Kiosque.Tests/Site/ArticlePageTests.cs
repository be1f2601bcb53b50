using System.Net;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Site;

public abstract class ArticlePageTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    /// <summary>An article with every part of the anatomy, and the other articles it points to.</summary>
    private async Task<(Article Article, Article Other, Article Draft, Author First, Author Second)> SeedFullArticleAsync()
    {
        var section = _content.Section("International");
        var first = _content.Author("Nadia Ferrant");
        var second = _content.Author("Oskar Lind");
        // The byline's second author is stored first, so neither ids nor insertion order give the byline's order.
        await site.WithDbAsync(db => TestContent.SaveAsync(db, second));
        var tag = _content.Tag("Répression");
        var otherPhoto = new MediaAsset { FileName = "test/greve.jpg", Width = 1200, Height = 675, Caption = "Un piquet de grève.", Credit = "Iris Volk / Agence Delta", Alt = "Des grévistes devant une usine", CreatedAt = TestContent.Now };
        var other = _content.Article(section, "Ostreva. Les syndicats appellent à la grève générale", TestContent.Now.AddDays(-2), tags: [tag]);
        other.HeroMedia = otherPhoto;
        var draft = _content.Article(section, "Brouillon secret sur la police", status: ArticleStatus.Draft, tags: [tag]);
        var photo = new MediaAsset { FileName = "test/hero.jpg", Width = 1600, Height = 900, Caption = "Des manifestants place centrale, le 5 mars.", Credit = "Iris Volk / Agence Delta", Alt = "Une foule sur une place", CreatedAt = TestContent.Now };
        var inline = new MediaAsset { FileName = "test/inline.jpg", Width = 1200, Height = 800, Caption = "Le port à l'aube.", Credit = "Jan Ek / Collectif Nord", Alt = "Un port", CreatedAt = TestContent.Now };
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, first, tag, other, draft, photo, inline));

        var body = ArticleBody.Of(
            new ParagraphBlock("Le président a appelé à <q>ouvrir le feu</q> sur les <b>manifestants</b>."),
            new HeadingBlock("Un bilan impossible à établir"),
            new QuoteBlock("26 personnes ont été tuées et 3 800 arrêtées.", new QuoteSource("La Gazette d'Ostreva", "https://example.org/gazette"), Verification.Unverified,
                "Ces chiffres n'ont toutefois pas pu être vérifiés de manière indépendante."),
            new QuoteBlock("Les troupes ont été déployées dans la nuit.", new QuoteSource("Radio Horizon"), Verification.Disputed),
            new ListBlock(["Premier point", "Second point"], ListStyle.Ordered),
            new ImageBlock(inline.Id),
            new EmbedBlock("https://www.youtube.com/watch?v=abc123", "YouTube", "La manifestation filmée"),
            new ReadAlsoBlock(other.Id),
            new ReadAlsoBlock(draft.Id));
        var article = _content.Article(section, "Ostreva. Le président appelle à « ouvrir le feu »", TestContent.Now.AddHours(-30), tags: [tag], body: body);
        // Positions reversed from insertion order: the page must follow the positions.
        article.Authors = [new ArticleAuthor { Author = second, Position = 1 }, new ArticleAuthor { Author = first, Position = 0 }];
        article.HeroMedia = photo;
        article.UpdatedAt = TestContent.Now.AddHours(-26);
        article.Corrections.Add(new Correction { At = TestContent.Now.AddHours(-26), Text = "Une version précédente donnait un mauvais bilan." });
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        // Related pieces come from the search index, which follows the change log.
        await Kiosque.Tests.Search.SearchWaits.WaitForSearchIndexAsync(site);
        return (article, other, draft, first, second);
    }

    [Fact]
    public async Task Article_page_shows_the_whole_anatomy_in_order()
    {
        using var client = site.Reader();
        var (article, other, _, first, second) = await SeedFullArticleAsync();

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        var main = page.QuerySelector("main article")!;
        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.Equal("Surtitre", main.QuerySelector(".kicker").Text());
        Assert.Equal(article.Headline, main.QuerySelector("h1").Text());
        Assert.Equal(article.Standfirst, main.QuerySelector(".standfirst").Text());

        var authors = main.QuerySelectorAll("a[rel=author]");
        Assert.Equal([first.Name, second.Name], authors.Select(a => a.Text()));
        Assert.Equal($"/auteur/{first.Slug}", authors[0].GetAttribute("href"));
        var published = main.QuerySelector(".dates time")!;
        var datetime = DateTimeOffset.Parse(published.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((datetime.UtcDateTime - article.PublishedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Matches(@"^\d{1,2}(er)? [a-zéû]+ \d{4} à \d{1,2} h \d{2}$", published.Text());
        Assert.StartsWith("Publié le ", main.QuerySelector(".dates .published").Text(), StringComparison.Ordinal);
        Assert.Contains("Mis à jour le", main.QuerySelector(".updated").Text());

        // Share links at the top (one compact line) and the bottom (with the address to copy), plain links to each network.
        var shares = main.QuerySelectorAll("nav.share");
        Assert.Equal(2, shares.Length);
        foreach (var share in shares)
        {
            var hrefs = share.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToList();
            Assert.Contains(hrefs, h => h.StartsWith("https://www.facebook.com/sharer/", StringComparison.Ordinal));
            Assert.Contains(hrefs, h => h.StartsWith("https://x.com/intent/tweet", StringComparison.Ordinal));
            Assert.Contains(hrefs, h => h.StartsWith("https://t.me/share/", StringComparison.Ordinal));
            Assert.Contains(hrefs, h => h.StartsWith("https://wa.me/", StringComparison.Ordinal));
            Assert.Contains(hrefs, h => h.StartsWith("/partager/mastodon?url=https%3A%2F%2Fjournal.test%2Farticle%2F", StringComparison.Ordinal));
            Assert.Contains(hrefs, h => h.StartsWith("mailto:", StringComparison.Ordinal));
        }
        Assert.True(shares[0].ClassList.Contains("share-compact"));
        Assert.Null(shares[0].QuerySelector(".share-copy"));

        // "Copy link" without script: the canonical address in a labelled read-only field, at the end.
        var field = shares[1].QuerySelector(".share-copy input")!;
        Assert.Equal($"https://journal.test/article/{article.Slug}", field.GetAttribute("value"));
        Assert.True(field.HasAttribute("readonly"));
        Assert.Equal("Lien à copier", shares[1].QuerySelector($".share-copy label[for='{field.Id}']").Text());

        var hero = main.QuerySelector("figure.hero")!;
        Assert.Equal("1600", hero.QuerySelector("img")!.GetAttribute("width"));
        Assert.Equal("Une foule sur une place", hero.QuerySelector("img")!.GetAttribute("alt"));
        Assert.Contains("Des manifestants place centrale", hero.QuerySelector("figcaption").Text());
        Assert.Equal("Crédit photo : Iris Volk / Agence Delta", hero.QuerySelector(".credit").Text());

        var body = main.QuerySelector(".article-body")!;
        Assert.Equal("ouvrir le feu", body.QuerySelector("p q").Text());
        Assert.Equal("Un bilan impossible à établir", body.QuerySelector("h2").Text());
        var quotes = body.QuerySelectorAll("figure.quote");
        Assert.Equal("https://example.org/gazette", quotes[0].QuerySelector("blockquote")!.GetAttribute("cite"));
        Assert.Equal("La Gazette d'Ostreva", quotes[0].QuerySelector("cite").Text());
        Assert.Contains("Non vérifié de manière indépendante.", quotes[0].QuerySelector(".sourcing").Text());
        Assert.Contains("n'ont toutefois pas pu être vérifiés", quotes[0].QuerySelector(".sourcing").Text());
        Assert.Contains("Information contestée.", quotes[1].QuerySelector(".sourcing").Text());
        Assert.Equal(2, body.QuerySelectorAll("ol li").Length);
        Assert.Contains("Crédit photo : Jan Ek / Collectif Nord", body.QuerySelector("figure.body-image figcaption").Text());
        Assert.Equal("lazy", body.QuerySelector("figure.body-image img")!.GetAttribute("loading"));

        // The embed is a link card: nothing from the provider is loaded before a click.
        var embed = body.QuerySelector(".embed")!;
        Assert.Equal("https://www.youtube.com/watch?v=abc123", embed.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(page.QuerySelectorAll("iframe, script:not([type='application/ld+json'])"));

        // Read-also shows the published article, never the draft.
        var readAlso = body.QuerySelectorAll(".read-also a");
        Assert.Single(readAlso);
        Assert.Contains("grève générale", readAlso[0].Text());

        Assert.Contains("mauvais bilan", main.QuerySelector(".corrections").Text());
        Assert.Contains(main.QuerySelectorAll("a[rel=tag]"), a => a.Text().StartsWith("Répression", StringComparison.Ordinal));

        // Related pieces, each with its picture.
        var relatedCard = page.QuerySelectorAll(".related .card").Single(c => c.QuerySelector(".card-headline a")!.GetAttribute("href") == $"/article/{other.Slug}");
        Assert.Equal("/media/test/greve.jpg", relatedCard.QuerySelector(".card-image img")!.GetAttribute("src"));

        // The anatomy's order: kicker, headline, standfirst, byline, share, hero, body, corrections, share, related.
        var order = new[] { ".kicker", "h1", ".standfirst", ".byline", "nav.share", "figure.hero", ".article-body", ".corrections", ".article-footer nav.share" }
            .Select(selector => main.QuerySelector(selector)!).Append(page.QuerySelector("main .related")!).ToList();
        for (var i = 1; i < order.Count; i++)
        {
            Assert.True(order[i - 1].CompareDocumentPosition(order[i]).HasFlag(AngleSharp.Dom.DocumentPositions.Following), $"part {i} is out of order");
        }
    }

    [Fact]
    public async Task Article_page_carries_NewsArticle_json_ld_and_open_graph()
    {
        using var client = site.Reader();
        var (article, _, _, first, second) = await SeedFullArticleAsync();

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        Assert.Equal("article", page.QuerySelector("meta[property='og:type']")!.GetAttribute("content"));
        Assert.Equal($"https://journal.test/article/{article.Slug}", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("fr_FR", page.QuerySelector("meta[property='og:locale']")!.GetAttribute("content"));
        Assert.Equal("https://journal.test/media/test/hero.jpg", page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));
        var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
        Assert.Equal("NewsArticle", json.GetProperty("@type").GetString());
        Assert.Equal(article.Headline, json.GetProperty("headline").GetString());
        Assert.Equal([first.Name, second.Name], json.GetProperty("author").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal($"https://journal.test/auteur/{second.Slug}", json.GetProperty("author")[1].GetProperty("url").GetString());
        Assert.True(DateTimeOffset.Parse(json.GetProperty("datePublished").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.Parse(json.GetProperty("dateModified").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(json.GetProperty("isAccessibleForFree").GetBoolean());
    }

    [Fact]
    public async Task Related_articles_share_a_tag_or_the_section_without_drafts_or_the_article_itself()
    {
        using var client = site.Reader();
        var section = _content.Section("International");
        var tag = _content.Tag("Répression");
        var body = ArticleBody.Of(new ParagraphBlock("Les mineurs de Drevno poursuivent la grève malgré les menaces."));
        var article = _content.Article(section, "Drevno. Les mineurs tiennent bon", TestContent.Now.AddHours(-2), tags: [tag], body: body);
        var other = _content.Article(_content.Section("Social"), "Les syndicats appellent à la grève générale", TestContent.Now.AddDays(-2), tags: [tag]);
        other.HeroMedia = new MediaAsset { FileName = "test/syndicats.jpg", Width = 1200, Height = 675, Caption = "Les syndicats.", Credit = "Jan Ek / Collectif Nord", Alt = "Une assemblée syndicale", CreatedAt = TestContent.Now };
        var newer = _content.Article(section, "Une suite plus récente", TestContent.Now.AddMinutes(-10));
        newer.HeroMedia = new MediaAsset { FileName = "test/suite.jpg", Width = 1200, Height = 675, Caption = "La suite.", Credit = "Jan Ek / Collectif Nord", Alt = "Une rue de Drevno", CreatedAt = TestContent.Now };
        var draft = _content.Article(section, "Brouillon secret sur la police", status: ArticleStatus.Draft, tags: [tag], body: body);
        var unrelated = _content.Article(_content.Section("Culture"), "Un festival sans rapport", TestContent.Now.AddMinutes(-5));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, tag, article, other, newer, draft, unrelated));
        // Related articles come from the search index, which follows the change log.
        await Kiosque.Tests.Search.SearchWaits.WaitForSearchIndexAsync(site);

        var page = await client.GetDocumentAsync($"/article/{article.Slug}");

        var related = page.QuerySelectorAll(".related .card-headline a").Select(a => a.GetAttribute("href")).ToList();
        // Other tests' articles about a strike may be related too; these two must be.
        Assert.Contains($"/article/{newer.Slug}", related);
        Assert.Contains($"/article/{other.Slug}", related);
        Assert.DoesNotContain($"/article/{draft.Slug}", related);
        Assert.DoesNotContain($"/article/{article.Slug}", related);
        Assert.DoesNotContain($"/article/{unrelated.Slug}", related);

        // Each related piece shows its picture.
        var cards = page.QuerySelectorAll(".related .card").ToDictionary(c => c.QuerySelector(".card-headline a")!.GetAttribute("href")!);
        Assert.Equal("/media/test/suite.jpg", cards[$"/article/{newer.Slug}"].QuerySelector(".card-image img")!.GetAttribute("src"));
        Assert.Equal("/media/test/syndicats.jpg", cards[$"/article/{other.Slug}"].QuerySelector(".card-image img")!.GetAttribute("src"));
    }

    [Theory]
    [InlineData(ArticleStatus.Draft)]
    [InlineData(ArticleStatus.Review)]
    [InlineData(ArticleStatus.Scheduled)]
    [InlineData(ArticleStatus.Unpublished)]
    public async Task Unpublished_articles_answer_404_and_appear_nowhere(ArticleStatus status)
    {
        using var client = site.Reader();
        var section = _content.Section();
        var author = _content.Author();
        var tag = _content.Tag();
        var hidden = _content.Article(section, "Une enquête pas encore prête", TestContent.Now.AddMinutes(-1), status, [author], [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, hidden));

        var page = await client.GetDocumentAsync($"/article/{hidden.Slug}", 404);
        Assert.Equal("Page introuvable", page.QuerySelector("h1").Text());
        foreach (var path in new[] { "/", $"/rubrique/{section.Slug}", $"/theme/{tag.Slug}", $"/auteur/{author.Slug}" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotContain(hidden.Slug, html, StringComparison.Ordinal);
            Assert.DoesNotContain(hidden.Headline, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_changed_slug_answers_301_to_the_new_address()
    {
        using var client = site.Reader();
        var article = _content.Article(_content.Section(), "Titre corrigé");
        var oldPath = "/article/" + _content.Unique("ancien-titre");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article, new Redirect { FromPath = oldPath, ToPath = $"/article/{article.Slug}", CreatedAt = TestContent.Now }));

        using var response = await client.GetAsync(oldPath);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"/article/{article.Slug}", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(response.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task Dates_are_in_long_French_form_in_the_newsroom_time_zone()
    {
        using var client = site.Reader();
        var march = _content.Article(_content.Section(), "Premier mars", new DateTime(2022, 2, 28, 23, 30, 0, DateTimeKind.Utc));
        var january = _content.Article(_content.Section(), "Sept janvier", new DateTime(2022, 1, 7, 10, 0, 0, DateTimeKind.Utc));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, march, january));

        // 23:30 UTC on 28 February is 00:30 on 1 March in Paris.
        var marchPage = await client.GetDocumentAsync($"/article/{march.Slug}");
        Assert.Equal("Publié le 1er mars 2022 à 0 h 30", marchPage.QuerySelector(".dates .published").Text());
        Assert.Equal("2022-03-01T00:30:00+01:00", marchPage.QuerySelector(".dates time")!.GetAttribute("datetime"));
        var januaryPage = await client.GetDocumentAsync($"/article/{january.Slug}");
        Assert.Equal("7 janvier 2022 à 11 h 00", januaryPage.QuerySelector(".dates time").Text());
    }

    [Fact]
    public async Task Cards_give_the_time_of_recent_pieces_and_the_date_of_older_ones()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var now = DateTime.UtcNow;
        var fresh = _content.Article(section, "Tout frais", now.AddHours(-2));
        var old = _content.Article(section, "Plus ancien", new DateTime(2022, 1, 7, 10, 0, 0, DateTimeKind.Utc));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, fresh, old));

        var page = await client.GetDocumentAsync($"/rubrique/{section.Slug}");
        string DateOf(string headline) => page.QuerySelectorAll(".card").Single(c => c.QuerySelector(".card-headline").Text() == headline).QuerySelector(".card-meta time").Text();
        Assert.Matches(@"^\d{1,2}(er)? [a-zéû]+ à \d{1,2} h \d{2}$", DateOf("Tout frais"));
        Assert.Equal("7 janvier 2022", DateOf("Plus ancien"));
    }

    [Fact]
    public async Task The_mastodon_share_page_shows_a_link_to_the_server_and_never_redirects_by_itself()
    {
        using var client = site.Reader();
        var shared = Uri.EscapeDataString("https://journal.test/article/un-article");
        using var response = await client.GetAsync($"/partager/mastodon?url={shared}&text=Un%20titre&instance=evil.example");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var page = await Html.ParseAsync(response);
        var link = page.QuerySelector("#mastodon-share")!;
        Assert.Equal("https://evil.example/share?text=" + Uri.EscapeDataString("Un titre https://journal.test/article/un-article"), link.GetAttribute("href"));
        Assert.Contains("evil.example", page.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.Contains("noopener", link.GetAttribute("rel"), StringComparison.Ordinal);

        // Anything that is not a host name is refused, with no link at all.
        using var bad = await client.GetAsync("/partager/mastodon?instance=" + Uri.EscapeDataString("evil.example/path?x=1"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Null((await Html.ParseAsync(bad)).QuerySelector("#mastodon-share"));
    }
}

public sealed class ArticlePageSqliteTests(SqliteSite site) : ArticlePageTests(site), IClassFixture<SqliteSite>;

public sealed class ArticlePagePostgresTests(PostgresSite site) : ArticlePageTests(site), IClassFixture<PostgresSite>;
