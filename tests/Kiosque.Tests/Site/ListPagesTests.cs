using System.Net;
using Kiosque.Content;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Site;

public abstract class ListPagesTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Section_pages_list_their_articles_newest_first_twelve_a_page()
    {
        using var client = site.Reader();
        var section = _content.Section("Écologie");
        var articles = Enumerable.Range(1, 15)
            .Select(i => _content.Article(section, $"Article numéro {i}", TestContent.Now.AddHours(-i)))
            .ToArray<object>();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));

        var first = await client.GetDocumentAsync($"/rubrique/{section.Slug}");
        Assert.Equal(section.Name, first.QuerySelector("h1").Text());
        var headlines = first.QuerySelectorAll(".card-headline").Select(h => h.Text()).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"Article numéro {i}"), headlines);
        Assert.Equal($"/rubrique/{section.Slug}?page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Null(first.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal($"https://journal.test/rubrique/{section.Slug}?page=2", first.QuerySelector("link[rel=next]")!.GetAttribute("href"));
        Assert.Equal("page", first.QuerySelector($".sections a[href='/rubrique/{section.Slug}']")!.GetAttribute("aria-current"));

        var second = await client.GetDocumentAsync($"/rubrique/{section.Slug}?page=2");
        Assert.Equal(["Article numéro 13", "Article numéro 14", "Article numéro 15"], second.QuerySelectorAll(".card-headline").Select(h => h.Text()));
        Assert.Equal($"/rubrique/{section.Slug}", second.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("Page 2 sur 2", second.QuerySelector(".pager-position").Text());
        Assert.Equal($"https://journal.test/rubrique/{section.Slug}?page=2", second.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("?page=3")]
    [InlineData("?page=0")]
    [InlineData("?page=-1")]
    [InlineData("?page=abc")]
    [InlineData("?page=1&page=2")]
    [InlineData("?page=99999999999999999999")]
    [InlineData("?page=%00")]
    [InlineData("?page=1%27%20OR%201=1")]
    public async Task Bad_page_numbers_answer_a_helpful_404_never_a_500(string query)
    {
        using var client = site.Reader();
        var section = _content.Section();
        var articles = Enumerable.Range(1, 13).Select(i => _content.Article(section, $"Papier {i}", TestContent.Now.AddHours(-i))).ToArray<object>();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));

        var page = await client.GetDocumentAsync($"/rubrique/{section.Slug}{query}", 404);

        Assert.Equal("Page introuvable", page.QuerySelector("h1").Text());
        Assert.NotNull(page.QuerySelector("a[href='/']"));
    }

    /// <summary>Every paginated list: home, section, tag, author.</summary>
    public static readonly string[] ListKinds = ["home", "section", "tag", "author"];

    /// <summary>Not a page of any list: not a number, not positive, past every list's end, or past what an int holds.</summary>
    public static readonly string[] BadPages =
    [
        "0", "-1", "abc", "1.5", "%2B2", "2%20", "99999999999", "2147483647", "2147483648", "-2147483648",
        "21474836", "21474837", "178956971", "99999999999999999999", "9" + new string('9', 400),
    ];

    public static TheoryData<string, string> EveryListWithEveryBadPage()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in ListKinds)
        {
            foreach (var page in BadPages)
            {
                data.Add(kind, page);
            }
        }
        return data;
    }

    /// <summary>Thirteen articles, newest first "Papier 1" … "Papier 13", in one section, tag and author: two pages of each list.</summary>
    private async Task<Dictionary<string, string>> SeedThirteenAsync()
    {
        var section = _content.Section();
        var tag = _content.Tag();
        var author = _content.Author();
        var articles = Enumerable.Range(1, 13)
            .Select(i => _content.Article(section, $"Papier {i}", TestContent.Now.AddHours(-i), authors: [author], tags: [tag]))
            .ToArray<object>();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));
        return new()
        {
            ["home"] = "/",
            ["section"] = $"/rubrique/{section.Slug}",
            ["tag"] = $"/theme/{tag.Slug}",
            ["author"] = $"/auteur/{author.Slug}",
        };
    }

    [Theory]
    [MemberData(nameof(EveryListWithEveryBadPage))]
    public async Task Bad_page_numbers_on_every_list_answer_a_helpful_404_never_a_500(string kind, string page)
    {
        using var client = site.Reader();
        var path = (await SeedThirteenAsync())[kind];

        var document = await client.GetDocumentAsync($"{path}?page={page}", 404);

        Assert.Equal("Page introuvable", document.QuerySelector("h1").Text());
        Assert.NotNull(document.QuerySelector("a[href='/']"));
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("author")]
    public async Task Tag_and_author_pages_are_paginated_twelve_a_page(string kind)
    {
        using var client = site.Reader();
        var path = (await SeedThirteenAsync())[kind];

        var first = await client.GetDocumentAsync(path);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"Papier {i}"), first.QuerySelectorAll(".card-headline").Select(h => h.Text()));
        Assert.Equal($"{path}?page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Null(first.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal($"https://journal.test{path}?page=2", first.QuerySelector("link[rel=next]")!.GetAttribute("href"));

        var second = await client.GetDocumentAsync($"{path}?page=2");
        Assert.Equal(["Papier 13"], second.QuerySelectorAll(".card-headline").Select(h => h.Text()));
        Assert.Equal(path, second.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.Equal("Page 2 sur 2", second.QuerySelector(".pager-position").Text());
        Assert.Equal($"https://journal.test{path}?page=2", second.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        await client.GetDocumentAsync($"{path}?page=3", 404);
    }

    [Theory]
    [InlineData("?q=%3Cscript%3Ealert(1)%3C/script%3E")]
    [InlineData("?utm_source=x&fbclid=abc")]
    [InlineData("?%ff%fe=%c3%28")]
    public async Task Odd_query_strings_are_ignored(string query)
    {
        using var client = site.Reader();
        var section = _content.Section();
        var article = _content.Article(section, "Un article ordinaire");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        using var response = await client.GetAsync($"/rubrique/{section.Slug}{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/article/{article.Slug}{query}")).StatusCode);
    }

    [Fact]
    public async Task Tag_pages_list_the_published_articles_that_carry_the_tag()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var tag = _content.Tag("Climat");
        var tagged = _content.Article(section, "Sécheresse record dans le delta", tags: [tag]);
        var other = _content.Article(section, "Un tout autre sujet");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, tagged, other));

        var page = await client.GetDocumentAsync($"/theme/{tag.Slug}");

        Assert.Equal(tag.Name, page.QuerySelector("h1").Text());
        Assert.Equal("Thème", page.QuerySelector(".list-header .kicker").Text());
        Assert.Equal([tagged.Headline], page.QuerySelectorAll(".card-headline").Select(h => h.Text()));
    }

    [Fact]
    public async Task Author_pages_show_the_bio_and_every_article_they_signed()
    {
        using var client = site.Reader();
        var section = _content.Section();
        var author = _content.Author("Inès Marouani");
        author.Photo = new MediaAsset { FileName = "test/portrait-ines.jpg", Width = 480, Height = 480, Caption = "Inès Marouani.", Credit = "Le Courrier du Delta", Alt = "Portrait d'Inès Marouani", CreatedAt = TestContent.Now };
        var colleague = _content.Author("Paul Abad");
        var solo = _content.Article(section, "Enquête en solo", TestContent.Now.AddHours(-3), authors: [author]);
        var duo = _content.Article(section, "Enquête à deux", TestContent.Now.AddHours(-2), authors: [colleague, author]);
        var notHers = _content.Article(section, "Sans elle", TestContent.Now.AddHours(-1), authors: [colleague]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, solo, duo, notHers));

        var page = await client.GetDocumentAsync($"/auteur/{author.Slug}");

        Assert.Equal("Inès Marouani", page.QuerySelector("h1").Text());
        Assert.Equal("Biographie de Inès Marouani.", page.QuerySelector(".list-description").Text());
        var photo = page.QuerySelector(".list-header img.author-photo")!;
        Assert.Equal("/media/test/portrait-ines.jpg", photo.GetAttribute("src"));
        Assert.Equal("Portrait d'Inès Marouani", photo.GetAttribute("alt"));
        Assert.Equal(("480", "480"), (photo.GetAttribute("width"), photo.GetAttribute("height")));
        Assert.Equal(["Enquête à deux", "Enquête en solo"], page.QuerySelectorAll(".card-headline").Select(h => h.Text()));
        Assert.Equal("Paul Abad, Inès Marouani", page.QuerySelectorAll(".card-authors")[0].Text());
    }

    [Theory]
    [InlineData("/rubrique/nexiste-pas")]
    [InlineData("/theme/nexiste-pas")]
    [InlineData("/auteur/nexiste-pas")]
    [InlineData("/article/nexiste-pas")]
    [InlineData("/une/page/inconnue")]
    [InlineData("/article/%E2%80%AE%C3%28")]
    [InlineData("/auteur/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Unknown_pages_answer_404_with_a_way_back(string path)
    {
        using var client = site.Reader();
        var section = _content.Section("Numérique");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, _content.Article(section, "Dernier article publié")));

        var page = await client.GetDocumentAsync(path, 404);

        Assert.Equal("Page introuvable", page.QuerySelector("h1").Text());
        Assert.Contains("adresse a changé", page.QuerySelector(".not-found p").Text());
        Assert.NotNull(page.QuerySelector($".not-found a[href='/rubrique/{section.Slug}']"));
        Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
    }
}

public sealed class ListPagesSqliteTests(SqliteSite site) : ListPagesTests(site), IClassFixture<SqliteSite>;

public sealed class ListPagesPostgresTests(PostgresSite site) : ListPagesTests(site), IClassFixture<PostgresSite>;
