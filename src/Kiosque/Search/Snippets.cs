using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;

namespace Kiosque.Search;

/// <summary>
/// Highlighted extracts of a result: the stretch of stored text where the words meet is analysed
/// again with the index's own analyser, so a word is marked exactly when it is what matched
/// ("l'armée" is marked for a search on "armées"), and the window with the most distinct matched
/// words is shown.
/// </summary>
public static class Snippets
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Long bodies are only scanned this far: a snippet is about where the words first meet.</summary>
    private const int MaxScannedChars = 20_000;

    /// <summary>Enough matches to choose a good window from.</summary>
    private const int MaxMatches = 48;

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
        if (Region(text, terms, length) is not { } region)
        {
            return null;
        }
        var (from, to) = region;
        var matches = Matches(analyzer, text, from, to, terms);
        if (matches.Count == 0)
        {
            return null;
        }

        // The window (starting at a match) that holds the most different words, then the most matches.
        var best = 0;
        var bestScore = -1;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < matches.Count; i++)
        {
            distinct.Clear();
            var limit = matches[i].Start + length;
            var inside = 0;
            for (var j = i; j < matches.Count && matches[j].End <= limit; j++)
            {
                distinct.Add(matches[j].Term);
                inside++;
            }
            var score = (distinct.Count * 100) + inside;
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
        for (var i = best; i < matches.Count && matches[i].End <= end; i++)
        {
            var match = matches[i];
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

    /// <summary>
    /// Where in the text the words probably are, found without analysing it: the analysed form of
    /// a word is, nearly always, the start of the word once lower-cased, unaccented and with doubled
    /// letters made single (the light stemmer does the same), so a plain search in a copy of the
    /// text normalised that way finds the candidates; only the best stretch is then analysed. A
    /// result page analyses a few hundred characters per result instead of whole articles.
    /// </summary>
    private static (int From, int To)? Region(string text, IReadOnlySet<string> terms, int length)
    {
        var (normalised, count, map) = Normalise(text);
        var haystack = new string(normalised, 0, count);
        var candidates = new List<(int Start, string Term)>();
        foreach (var term in terms)
        {
            for (int at = 0, found = 0; found < 16 && (at = haystack.IndexOf(term, at, StringComparison.Ordinal)) >= 0; at += term.Length, found++)
            {
                candidates.Add((map[at], term));
            }
        }
        if (candidates.Count == 0)
        {
            return null;
        }
        candidates.Sort((a, b) => a.Start.CompareTo(b.Start));
        var best = 0;
        var bestCount = 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            distinct.Clear();
            for (var j = i; j < candidates.Count && candidates[j].Start < candidates[i].Start + length; j++)
            {
                distinct.Add(candidates[j].Term);
            }
            if (distinct.Count > bestCount)
            {
                bestCount = distinct.Count;
                best = i;
            }
        }
        var from = Math.Max(0, candidates[best].Start - 80);
        var to = Math.Min(text.Length, candidates[best].Start + length + 80);
        // Whole words only: the stretch starts and ends at a space.
        while (from > 0 && !char.IsWhiteSpace(text[from - 1]))
        {
            from--;
        }
        while (to < text.Length && !char.IsWhiteSpace(text[to]))
        {
            to++;
        }
        return (from, to);
    }

    private static (char[] Chars, int Count, int[] Map) Normalise(string text)
    {
        var chars = new char[text.Length];
        var map = new int[text.Length];
        var one = new char[1];
        var folded = new char[8];
        var count = 0;
        var previous = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToLowerInvariant(text[i]);
            if (c >= '\u0080')
            {
                one[0] = c;
                if (ASCIIFoldingFilter.FoldToASCII(one, 0, folded, 0, 1) == 1)
                {
                    c = folded[0];
                }
            }
            if (c == previous && char.IsLetter(c))
            {
                continue;
            }
            chars[count] = c;
            map[count] = i;
            count++;
            previous = c;
        }
        return (chars, count, map);
    }

    /// <summary>The matching words in <c>text[from..to]</c>, with their places in the whole text.</summary>
    private static List<AnalysedToken> Matches(Analyzer analyzer, string text, int from, int to, IReadOnlySet<string> terms)
    {
        var set = terms as HashSet<string> is { Comparer: var comparer } hash && ReferenceEquals(comparer, StringComparer.Ordinal)
            ? hash
            : new HashSet<string>(terms, StringComparer.Ordinal);
        var lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        var matches = new List<AnalysedToken>();
        using var stream = analyzer.GetTokenStream(SearchFields.Text, text[from..to]);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        var position = 0;
        while (matches.Count < MaxMatches && stream.IncrementToken())
        {
            position++;
            if (lookup.TryGetValue(term.Buffer.AsSpan(0, term.Length), out var matched))
            {
                matches.Add(new AnalysedToken(matched, position, from + offset.StartOffset, from + offset.EndOffset));
            }
        }
        stream.End();
        return matches;
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
