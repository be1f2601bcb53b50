using Kiosque.Content;

namespace Kiosque.Tests.Content;

public class ArticleBodyTests
{
    [Fact]
    public void Every_kind_of_block_survives_a_round_trip_through_json()
    {
        var body = ArticleBody.Of(
            new ParagraphBlock("Un <b>texte</b>."),
            new HeadingBlock("Titre", 3),
            new QuoteBlock("Citation", new QuoteSource("Radio Horizon", "https://example.org"), Verification.Disputed, "Note"),
            new ListBlock(["un", "deux"], ListStyle.Ordered),
            new ImageBlock(4, Caption: "Légende"),
            new EmbedBlock("https://example.org/v", "PeerTube", "Vidéo"),
            new ReadAlsoBlock(9));

        var json = body.ToJson();
        var back = ArticleBody.Parse(json);

        Assert.Contains("\"type\":\"quote\"", json, StringComparison.Ordinal);
        Assert.Contains("\"verification\":\"disputed\"", json, StringComparison.Ordinal);
        Assert.Equal(body.Blocks, back.Blocks, (a, b) => a.Equals(b) || (a is ListBlock la && b is ListBlock lb && la.Items.SequenceEqual(lb.Items) && la.Style == lb.Style));
    }

    [Theory]
    [InlineData("""{"v":2,"blocks":[]}""")]
    [InlineData("""{"v":1,"blocks":[{"type":"script","src":"x"}]}""")]
    [InlineData("""not json""")]
    public void Unknown_versions_blocks_and_broken_json_are_refused(string json)
    {
        Assert.ThrowsAny<Exception>(() => ArticleBody.Parse(json));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>Bonjour", "Bonjour")]
    [InlineData("<b onclick=\"x()\">gras</b>", "<b>gras</b>")]
    [InlineData("<a href=\"javascript:alert(1)\">lien</a>", "<a>lien</a>")]
    [InlineData("<a href=\"https://example.org/\">lien</a>", "<a href=\"https://example.org/\">lien</a>")]
    [InlineData("<img src=x onerror=alert(1)>texte", "texte")]
    [InlineData("<q>cité</q> et <i>penché</i>", "<q>cité</q> et <i>penché</i>")]
    [InlineData("<div><span>dans un bloc</span></div>", "dans un bloc")]
    public void Inline_markup_keeps_only_what_a_paragraph_may_hold(string input, string expected)
    {
        Assert.Equal(expected, InlineMarkup.Sanitize(input));
    }

    [Fact]
    public void Plain_text_drops_tags_and_puts_guillemets_around_inline_quotes()
    {
        Assert.Equal("Il a dit « non » &", InlineMarkup.ToPlainText("Il a dit <q>non</q> &amp;"));
    }

    [Theory]
    [InlineData("Répression à Port-Aurel : l’armée tire", "repression-a-port-aurel-l-armee-tire")]
    [InlineData("  « Œuvre » ÉTÉ 2026 !! ", "oeuvre-ete-2026")]
    [InlineData("Le cœur du delta", "le-coeur-du-delta")]
    [InlineData("ŒUF, Æther et Straße", "oeuf-aether-et-strasse")]
    [InlineData("Curriculum vitæ : GROẞ", "curriculum-vitae-gross")]
    [InlineData("Søren à Łódź", "soren-a-lodz")]
    public void Slugs_are_lowercase_ascii_words(string text, string slug)
    {
        Assert.Equal(slug, Slug.From(text));
    }

    [Fact]
    public void A_ligature_at_the_length_limit_does_not_make_the_slug_longer()
    {
        Assert.Equal("abco", Slug.From("abcœur", maxLength: 4));
    }
}
