using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Lucene.Net.Analysis;

namespace Kiosque.Search;

/// <summary>
/// Highlighted extracts of a result: the stored text is analysed again with the index's own
/// analyser, so a word is marked exactly when it is what matched ("l'armée" is marked for a
/// search on "armées"), and the window with the most distinct matched words is shown.
/// </summary>
public static class Snippets
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Long bodies are only scanned this far: a snippet is about where the words first meet.</summary>
    private const int MaxScannedChars = 40_000;

    /// <summary>HTML (encoded text with <c>&lt;mark&gt;</c> around matches), or null when no word matches.</summary>
    public static string? Make(Analyzer analyzer, string? text, IReadOnlySet<string> terms, int length = 240)
    {
        if (string.IsNullOrEmpty(text) || terms.Count == 0)
        {
            return null;
        }
        if (text.Length > MaxScannedChars)
        {
            text = text[..MaxScannedChars];
        }
        var matches = FrenchSearchAnalyzer.Tokens(analyzer, SearchFields.Body, text).Where(t => terms.Contains(t.Term)).Take(200).ToList();
        if (matches.Count == 0)
        {
            return null;
        }

        // The window (starting at a match) that holds the most different words, then the most matches.
        var best = 0;
        var bestScore = -1;
        for (var i = 0; i < matches.Count; i++)
        {
            var limit = matches[i].Start + length;
            var inside = matches.Skip(i).TakeWhile(m => m.End <= limit).ToList();
            var score = (inside.Select(m => m.Term).Distinct().Count() * 100) + inside.Count;
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        // Some context before the first match, cut at a word boundary.
        var start = Math.Max(0, matches[best].Start - 50);
        if (start > 0)
        {
            var space = text.IndexOfAny([' ', '\n', '\t'], start, matches[best].Start - start);
            start = space < 0 ? matches[best].Start : space + 1;
        }
        var end = Math.Max(Math.Min(text.Length, start + length), matches[best].End);
        if (end < text.Length && end > matches[best].End)
        {
            var space = text.LastIndexOfAny([' ', '\n', '\t'], end - 1, end - matches[best].End);
            if (space > matches[best].End)
            {
                end = space;
            }
        }

        var html = new StringBuilder(length * 2);
        if (start > 0)
        {
            html.Append("… ");
        }
        var at = start;
        foreach (var match in matches.Skip(best).TakeWhile(m => m.End <= end))
        {
            Append(html, text, at, match.Start);
            html.Append("<mark>");
            Append(html, text, match.Start, match.End);
            html.Append("</mark>");
            at = match.End;
        }
        Append(html, text, at, end);
        if (end < text.Length)
        {
            html.Append(" …");
        }
        return html.ToString();
    }

    private static void Append(StringBuilder html, string text, int from, int to)
    {
        if (to <= from)
        {
            return;
        }
        var part = text[from..to].ReplaceLineEndings(" ");
        html.Append(Html.Encode(part));
    }
}
