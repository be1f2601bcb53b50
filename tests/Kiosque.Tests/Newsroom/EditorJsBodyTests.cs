using System.Text.Json;
using Kiosque.Content;
using Kiosque.Newsroom;

namespace Kiosque.Tests.Newsroom;

/// <summary>The one conversion between Editor.js data and stored blocks: what comes in is checked and cleaned.</summary>
public sealed class EditorJsBodyTests
{
    private static ArticleBody? Convert(object data, List<string>? errors = null) =>
        EditorJsBody.FromEditorJs(JsonSerializer.Serialize(data), errors ?? []);

    [Fact]
    public void Every_kind_of_block_survives_the_round_trip()
    {
        var body = ArticleBody.Of(
            new ParagraphBlock("Un <b>paragraphe</b> avec <a href=\"https://example.org/\">un lien</a>."),
            new HeadingBlock("Un intertitre", 3),
            new QuoteBlock("Nous ne céderons pas.", new QuoteSource("Le syndicat", "https://example.org/communique"), Verification.Unverified, "Propos rapportés par un tiers."),
            new ListBlock(["Un", "Deux"], ListStyle.Ordered),
            new ImageBlock(12, "Une légende", "Un crédit", "Un texte alternatif"),
            new EmbedBlock("https://video.example/v/1", "Vidéo", "La manifestation"),
            new ReadAlsoBlock(42));

        var errors = new List<string>();
        var back = EditorJsBody.FromEditorJs(EditorJsBody.ToEditorJs(body).ToJsonString(), errors);

        Assert.Empty(errors);
        Assert.Equal(body.ToJson(), back!.ToJson());
    }

    [Fact]
    public void Hostile_and_word_processor_markup_is_cleaned_to_our_inline_tags()
    {
        var body = Convert(new
        {
            blocks = new object[]
            {
                new { type = "paragraph", data = new { text = "<span style=\"mso-fareast-font-family:Calibri\" class=\"MsoNormal\">Texte <b>gras</b></span><o:p></o:p><script>alert(1)</script><img src=x onerror=alert(2)>" } },
                new { type = "paragraph", data = new { text = "<a href=\"javascript:alert(3)\" onclick=\"x()\">lien piégé</a> et&nbsp;espace" } },
                new { type = "paragraph", data = new { text = "<br>&nbsp;" } },
                new { type = "header", data = new { text = "<i>Titre</i> <script>x</script>", level = 1 } },
                new { type = "list", data = new { style = "checklist", items = new object[] { new { content = "<u>un</u>", items = new object[] { new { content = "imbriqué", items = Array.Empty<object>() } } }, "deux" } } },
            },
        })!;

        var json = body.ToJson();
        Assert.DoesNotContain("script", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mso-", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, body.Blocks.Count);
        Assert.Equal("Texte <b>gras</b>", ((ParagraphBlock)body.Blocks[0]).Text);
        Assert.Equal("<a>lien piégé</a> et espace", ((ParagraphBlock)body.Blocks[1]).Text);
        Assert.Equal(new HeadingBlock("Titre", 2), body.Blocks[2]);
        var list = (ListBlock)body.Blocks[3];
        Assert.Equal(["un", "imbriqué", "deux"], list.Items);
        Assert.Equal(ListStyle.Unordered, list.Style);
    }

    [Theory]
    [InlineData("""{"blocks":[{"type":"quote","data":{"text":"Sans source"}}]}""", "quote.source-missing")]
    [InlineData("""{"blocks":[{"type":"quote","data":{"text":"x","source":"y","url":"javascript:alert(1)"}}]}""", "quote.bad-url")]
    [InlineData("""{"blocks":[{"type":"embed","data":{"url":"data:text/html,hi"}}]}""", "embed.bad-url")]
    [InlineData("""{"blocks":[{"type":"raw","data":{"html":"<iframe>"}}]}""", "body.unknown-block")]
    [InlineData("""{"blocks":[{"type":"image","data":{}}]}""", "image.missing")]
    [InlineData("""{"blocks":[{"type":"paragraph"}]}""", "body.malformed")]
    [InlineData("""<p>du HTML</p>""", "body.malformed")]
    [InlineData("""{"blocks":{}}""", "body.malformed")]
    public void Bad_blocks_are_refused_with_a_reason(string json, string reason)
    {
        var errors = new List<string>();
        Assert.Null(EditorJsBody.FromEditorJs(json, errors));
        Assert.Contains(reason, errors);
    }
}
