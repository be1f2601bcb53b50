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
        var colleague = _content.Author("Paul Abad");
        var solo = _content.Article(section, "Enquête en solo", TestContent.Now.AddHours(-3), authors: [author]);
        var duo = _content.Article(section, "Enquête à deux", TestContent.Now.AddHours(-2), authors: [colleague, author]);
        var notHers = _content.Article(section, "Sans elle", TestContent.Now.AddHours(-1), authors: [colleague]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, solo, duo, notHers));

        var page = await client.GetDocumentAsync($"/auteur/{author.Slug}");

        Assert.Equal("Inès Marouani", page.QuerySelector("h1").Text());
        Assert.Equal("Biographie de Inès Marouani.", page.QuerySelector(".list-description").Text());
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
