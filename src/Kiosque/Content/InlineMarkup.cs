using System.Net;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace Kiosque.Content;

/// <summary>
/// The inline markup allowed inside paragraphs and list items. Everything else is stripped when
/// content is written, so hostile HTML never reaches storage and renderers need not re-check it.
/// </summary>
public static partial class InlineMarkup
{
    private static readonly HashSet<string> DroppedWhole = new(["script", "style", "template", "noscript", "iframe", "object", "textarea", "svg", "math", "title"], StringComparer.OrdinalIgnoreCase);

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(["b", "strong", "i", "em", "a", "q", "br"], StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        };
        var sanitizer = new HtmlSanitizer(options);
        // Formatting wrappers pasted from elsewhere (div, span) keep their text; code and embedded
        // objects lose theirs, which is never prose.
        sanitizer.KeepChildNodes = true;
        sanitizer.RemovingTag += (_, e) =>
        {
            if (DroppedWhole.Contains(e.Tag.LocalName))
            {
                e.Tag.InnerHtml = "";
            }
        };
        return sanitizer;
    }

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>Plain text for search, descriptions and feeds' summaries.</summary>
    public static string ToPlainText(string html)
    {
        var text = TagRegex().Replace(html, match => match.Value.StartsWith("<q", StringComparison.OrdinalIgnoreCase) ? "« "
            : match.Value.StartsWith("</q", StringComparison.OrdinalIgnoreCase) ? " »" : "");
        return WebUtility.HtmlDecode(text);
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagRegex();
}
