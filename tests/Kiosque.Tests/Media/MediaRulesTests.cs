using System.Globalization;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Kiosque.Tests.Media;

/// <summary>An article cannot be published while a picture it shows lacks its credit, caption or alt text.</summary>
public abstract class MediaRulesTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private static MediaAsset Medium(string name, string credit = "Iris Volk / Agence Delta", string caption = "Une légende.", string alt = "Une description.") =>
        new() { FileName = $"test/{name}", Name = name, Width = 1200, Height = 800, Credit = credit, Caption = caption, Alt = alt, CreatedAt = TestContent.Now };

    private async Task<IReadOnlyList<string>> CheckAsync(Article article, string culture = "fr")
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var text = site.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
            return await site.WithDbAsync(db => MediaRules.MissingCaptionsAsync(db, article, text, TestContext.Current.CancellationToken));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task Each_incomplete_picture_is_named_with_where_it_is_and_what_it_lacks()
    {
        var complete = Medium("complete.jpg");
        var noCredit = Medium("sans-credit.jpg", credit: " ");
        var bare = Medium("nue.jpg", credit: "", caption: "", alt: "");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, complete, noCredit, bare));
        var article = _content.Article(_content.Section(), "Trois photos", status: ArticleStatus.Draft,
            body: ArticleBody.Of(new ImageBlock(complete.Id), new ParagraphBlock("Texte."), new ImageBlock(bare.Id)));
        article.HeroMediaId = noCredit.Id;

        var problems = await CheckAsync(article);

        Assert.Equal(
        [
            $"Il manque le crédit à l’image « sans-credit.jpg » (n° {noCredit.Id}), en tête d’article : complétez-la avant de publier.",
            $"Il manque le crédit, la légende et le texte alternatif à l’image « nue.jpg » (n° {bare.Id}), dans le corps de l’article (image 2) : complétez-la avant de publier.",
        ], problems);

        var english = await CheckAsync(article, "en");
        Assert.Equal($"Image “sans-credit.jpg” (#{noCredit.Id}), at the top of the article, lacks a credit: complete it before publishing.", english[0]);
    }

    [Fact]
    public async Task An_image_block_may_supply_what_its_medium_lacks_and_a_complete_article_passes()
    {
        var bare = Medium("nue.jpg", credit: "", caption: "", alt: "");
        var complete = Medium("complete.jpg");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, bare, complete));
        var article = _content.Article(_content.Section(), "Une photo légendée dans le bloc", status: ArticleStatus.Draft,
            body: ArticleBody.Of(new ImageBlock(bare.Id, Caption: "Légende du bloc.", Credit: "AFP", Alt: "Une rue")));
        article.HeroMediaId = complete.Id;

        Assert.Empty(await CheckAsync(article));
        Assert.Empty(await CheckAsync(_content.Article(_content.Section(), "Sans photo", status: ArticleStatus.Draft)));
    }

    [Fact]
    public async Task A_picture_deleted_from_the_library_is_reported()
    {
        var article = _content.Article(_content.Section(), "Photo disparue", status: ArticleStatus.Draft, body: ArticleBody.Of(new ImageBlock(987_654)));

        var problem = Assert.Single(await CheckAsync(article));

        Assert.Equal("L’image n° 987654, dans le corps de l’article (image 1), n’existe plus dans la photothèque : choisissez-en une autre avant de publier.", problem);
    }
}

public sealed class MediaRulesSqliteTests(SqliteSite site) : MediaRulesTests(site), IClassFixture<SqliteSite>;

public sealed class MediaRulesPostgresTests(PostgresSite site) : MediaRulesTests(site), IClassFixture<PostgresSite>;
