using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Kiosque.Content;
using Kiosque.Media;
using Microsoft.Extensions.Localization;

namespace Kiosque.Site;

public sealed record ReadAlsoRef(string Slug, string Headline);

/// <summary>What a body refers to, fetched in one go before rendering.</summary>
public sealed record BodyReferences(IReadOnlyDictionary<int, MediaRef> Media, IReadOnlyDictionary<int, ReadAlsoRef> Articles)
{
    public static readonly BodyReferences None = new(new Dictionary<int, MediaRef>(), new Dictionary<int, ReadAlsoRef>());
}

/// <summary>
/// Renders the structured body. One renderer, several targets: the web page (site-relative links),
/// feeds (<paramref name="absoluteBase"/> given: every link and image absolute, because a feed
/// reader shows the HTML away from our site), and plain text for descriptions and search.
/// </summary>
public sealed partial class BodyRenderer(IStringLocalizer<SharedResource> text)
{
    // Accented text stays readable and small in the page; markup characters are still escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <param name="absoluteBase">The article's absolute URL for the feed target; null for the web page.</param>
    public string ToHtml(ArticleBody body, BodyReferences refs, Uri? absoluteBase = null)
    {
        var html = new StringBuilder(4096);
        foreach (var block in body.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    html.Append("<p>").Append(Inline(p.Text, absoluteBase)).Append("</p>\n");
                    break;
                case HeadingBlock h:
                    var level = Math.Clamp(h.Level, 2, 4);
                    html.Append("<h").Append(level).Append('>').Append(Html.Encode(h.Text)).Append("</h").Append(level).Append(">\n");
                    break;
                case QuoteBlock q:
                    AppendQuote(html, q);
                    break;
                case ListBlock l:
                    var tag = l.Style == ListStyle.Ordered ? "ol" : "ul";
                    html.Append('<').Append(tag).Append('>');
                    foreach (var item in l.Items)
                    {
                        html.Append("<li>").Append(Inline(item, absoluteBase)).Append("</li>");
                    }
                    html.Append("</").Append(tag).Append(">\n");
                    break;
                case ImageBlock i when refs.Media.TryGetValue(i.MediaId, out var media):
                    AppendFigure(html, media, i.Caption ?? media.Caption, i.Credit ?? media.Credit, i.Alt ?? media.Alt, "body-image", lazy: true, absoluteBase);
                    break;
                case EmbedBlock e:
                    AppendEmbed(html, e);
                    break;
                case ReadAlsoBlock r when refs.Articles.TryGetValue(r.ArticleId, out var other):
                    html.Append("<aside class=\"read-also\"><span class=\"read-also-label\">")
                        .Append(Html.Encode(text["ReadAlso"])).Append("</span> <a href=\"")
                        .Append(Html.Encode(Link(SiteFormat.ArticlePath(other.Slug), absoluteBase))).Append("\">")
                        .Append(Html.Encode(other.Headline)).Append("</a></aside>\n");
                    break;
                default:
                    // A missing image or an unpublished read-also target is left out rather than shown broken.
                    break;
            }
        }
        return html.ToString();
    }

    /// <summary>A figure with its caption and credit; the credit is mandatory on every image we show.</summary>
    public string Figure(MediaRef media, string cssClass, bool lazy, Uri? absoluteBase = null)
    {
        var html = new StringBuilder(1536);
        AppendFigure(html, media, media.Caption, media.Credit, media.Alt, cssClass, lazy, absoluteBase);
        return html.ToString();
    }

    private void AppendFigure(StringBuilder html, MediaRef media, string caption, string credit, string alt, string cssClass, bool lazy, Uri? absoluteBase)
    {
        html.Append("<figure class=\"").Append(cssClass).Append("\">");
        if (absoluteBase is not null)
        {
            // A feed reader lays the HTML out its own way: one plain image at an absolute address,
            // with that file's own size (the medium's size is the original's, not the JPEG's).
            var source = Picture.Source(media);
            html.Append("<img src=\"").Append(Html.Encode(Link(source.Url, absoluteBase)))
                .Append("\" width=\"").Append(source.Width).Append("\" height=\"").Append(source.Height)
                .Append("\" alt=\"").Append(Html.Encode(alt)).Append("\">");
        }
        else
        {
            Picture.Append(html, media, alt, lazy ? Picture.BodySizes : Picture.HeroSizes, lazy ? PictureLoading.Lazy : PictureLoading.Priority);
        }
        html.Append("<figcaption>");
        if (caption.Length > 0)
        {
            html.Append("<span class=\"caption\">").Append(Html.Encode(caption)).Append("</span> ");
        }
        html.Append("<span class=\"credit\">").Append(Html.Encode(text["PhotoCredit", credit])).Append("</span></figcaption></figure>\n");
    }

    private void AppendQuote(StringBuilder html, QuoteBlock q)
    {
        var url = SafeUrl(q.Source.Url);
        html.Append("<figure class=\"quote quote-").Append(q.Verification.ToString().ToLowerInvariant()).Append("\"><blockquote");
        if (url is not null)
        {
            html.Append(" cite=\"").Append(Html.Encode(url)).Append('"');
        }
        html.Append("><p>").Append(Html.Encode(q.Text)).Append("</p></blockquote><figcaption>")
            .Append(Html.Encode(text["QuoteSource"])).Append(' ');
        if (url is not null)
        {
            html.Append("<cite><a href=\"").Append(Html.Encode(url)).Append("\" rel=\"nofollow noopener\">").Append(Html.Encode(q.Source.Name)).Append("</a></cite>");
        }
        else
        {
            html.Append("<cite>").Append(Html.Encode(q.Source.Name)).Append("</cite>");
        }
        // The sourcing note belongs to the caption: a figure allows nothing after its figcaption.
        if (q.Verification != Verification.Verified || !string.IsNullOrWhiteSpace(q.Note))
        {
            html.Append("<span class=\"sourcing\">");
            if (q.Verification != Verification.Verified)
            {
                html.Append("<strong>").Append(Html.Encode(text[q.Verification == Verification.Disputed ? "Sourcing.Disputed" : "Sourcing.Unverified"])).Append("</strong> ");
            }
            if (!string.IsNullOrWhiteSpace(q.Note))
            {
                html.Append(Html.Encode(q.Note));
            }
            html.Append("</span>");
        }
        html.Append("</figcaption>");
        html.Append("</figure>\n");
    }

    private void AppendEmbed(StringBuilder html, EmbedBlock e)
    {
        var url = SafeUrl(e.Url);
        if (url is null)
        {
            return;
        }
        var host = new Uri(url).Host;
        var provider = string.IsNullOrWhiteSpace(e.Provider) ? host : e.Provider;
        html.Append("<aside class=\"embed\"><p class=\"embed-provider\">").Append(Html.Encode(provider)).Append("</p>");
        if (!string.IsNullOrWhiteSpace(e.Title))
        {
            html.Append("<p class=\"embed-title\">").Append(Html.Encode(e.Title)).Append("</p>");
        }
        html.Append("<p><a href=\"").Append(Html.Encode(url)).Append("\" rel=\"nofollow noopener external\">")
            .Append(Html.Encode(text["Embed.Open", provider])).Append("</a></p><p class=\"embed-note\">")
            .Append(Html.Encode(text["Embed.Privacy", host])).Append("</p></aside>\n");
    }

    private static string Link(string path, Uri? absoluteBase) =>
        absoluteBase is null ? path : new Uri(absoluteBase, path).AbsoluteUri;

    /// <summary>
    /// Inline markup is stored sanitised, with links as the editor typed them (often site-relative);
    /// the feed target resolves them against the article's address.
    /// </summary>
    private static string Inline(string markup, Uri? absoluteBase)
    {
        if (absoluteBase is null || !markup.Contains("href=", StringComparison.Ordinal))
        {
            return markup;
        }
        return HrefRegex().Replace(markup, match =>
        {
            var href = WebUtility.HtmlDecode(match.Groups[1].Value);
            return Uri.TryCreate(absoluteBase, href, out var absolute)
                ? $"href=\"{Html.Encode(absolute.AbsoluteUri)}\""
                : match.Value;
        });
    }

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex HrefRegex();

    /// <summary>Only http(s) links are rendered; anything else (javascript:, data:) is dropped.</summary>
    private static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;

    /// <summary>Plain text of the body, for meta descriptions, search and the text edition.</summary>
    public static string ToPlainText(ArticleBody body)
    {
        var text = new StringBuilder();
        foreach (var block in body.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    text.AppendLine(InlineMarkup.ToPlainText(p.Text));
                    break;
                case HeadingBlock h:
                    text.AppendLine(h.Text);
                    break;
                case QuoteBlock q:
                    text.Append("« ").Append(q.Text).Append(" » — ").AppendLine(q.Source.Name);
                    break;
                case ListBlock l:
                    foreach (var item in l.Items)
                    {
                        text.Append("- ").AppendLine(InlineMarkup.ToPlainText(item));
                    }
                    break;
                case ImageBlock i when i.Caption is not null:
                    text.AppendLine(i.Caption);
                    break;
                default:
                    break;
            }
        }
        return text.ToString();
    }
}
