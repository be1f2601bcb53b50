using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Kiosque.Search;

public enum UserQueryProblem
{
    None,

    /// <summary>Longer than <see cref="UserQuery.MaxLength"/>: refused with a message rather than searched.</summary>
    TooLong,

    /// <summary>Nothing searchable is left once stop words and punctuation are gone ("le", "(((").</summary>
    NoWords,
}

/// <summary>
/// What a reader typed, turned into a Lucene query without ever handing it to a query parser:
/// operators, brackets, wildcards and fuzzy marks (<c>AND OR ( [ ~ *</c>) are only punctuation
/// here, so no input can make the search fail or run away. The one syntax readers get is quotes
/// ("…", «…», “…”) for a phrase. Every word must match, in any of the searched fields.
/// </summary>
public sealed class UserQuery
{
    public const int MaxLength = 300;

    /// <summary>Words and phrases beyond this are ignored, which bounds the cost of any query.</summary>
    public const int MaxClauses = 16;

    /// <summary>A match in the headline adds this much to the same match elsewhere.</summary>
    public const float HeadlineBoost = 2f;

    private UserQuery(UserQueryProblem problem, Query? query, IReadOnlySet<string> terms, string text)
    {
        Problem = problem;
        Query = query;
        Terms = terms;
        Text = text;
    }

    public UserQueryProblem Problem { get; }

    /// <summary>Null when there was a problem, or nothing was typed.</summary>
    public Query? Query { get; }

    /// <summary>The analysed words, for highlighting.</summary>
    public IReadOnlySet<string> Terms { get; }

    /// <summary>The text as searched: control characters removed, spaces collapsed.</summary>
    public string Text { get; }

    public bool IsEmpty => Problem == UserQueryProblem.None && Query is null;

    /// <param name="pairs">The index has word pairs (<see cref="WordPairFilter"/>, schema 2 and later).</param>
    public static UserQuery Parse(string? raw, Analyzer analyzer, bool pairs = true)
    {
        var text = Clean(raw);
        if (text.Length > MaxLength)
        {
            return new UserQuery(UserQueryProblem.TooLong, null, new HashSet<string>(StringComparer.Ordinal), text[..MaxLength]);
        }
        if (text.Length == 0)
        {
            return new UserQuery(UserQueryProblem.None, null, new HashSet<string>(StringComparer.Ordinal), text);
        }

        var clauses = new List<List<AnalysedToken>>();
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var words = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var close = ClosingQuote(text[i]);
            var end = close == '\0' ? -1 : text.IndexOf(close, i + 1);
            if (end > i)
            {
                var phrase = FrenchSearchAnalyzer.Tokens(analyzer, SearchFields.Text, text[(i + 1)..end], maxTokens: 32);
                if (phrase.Count > 0)
                {
                    clauses.Add(phrase);
                }
                i = end + 1;
                continue;
            }
            // An unmatched quote is only punctuation.
            words.Append(close == '\0' ? text[i] : ' ');
            i++;
        }
        foreach (var token in FrenchSearchAnalyzer.Tokens(analyzer, SearchFields.Text, words.ToString(), maxTokens: 64))
        {
            if (!clauses.Any(c => c.Count == 1 && c[0].Term == token.Term))
            {
                clauses.Add([token]);
            }
        }
        if (clauses.Count == 0)
        {
            return new UserQuery(UserQueryProblem.NoWords, null, terms, text);
        }

        var query = new BooleanQuery();
        foreach (var clause in clauses.Take(MaxClauses))
        {
            terms.UnionWith(clause.Select(t => t.Term));
            query.Add(AnyField(clause, pairs), Occur.MUST);
        }
        return new UserQuery(UserQueryProblem.None, query, terms, text);
    }

    /// <summary>A word or a phrase anywhere in the article (required), ranked higher when the headline has it too.</summary>
    private static BooleanQuery AnyField(List<AnalysedToken> clause, bool pairs)
    {
        var headline = Match(SearchFields.Headline, clause);
        headline.Boost = HeadlineBoost;
        return new BooleanQuery
        {
            { pairs ? MatchText(clause) : Match(SearchFields.Text, clause), Occur.MUST },
            { headline, Occur.SHOULD },
        };
    }

    /// <summary>
    /// A phrase in the whole text through its pairs of neighbouring words: two words side by side
    /// are exactly one pair; a longer phrase needs all its pairs, and its positions are then
    /// checked only in the few articles that have them all.
    /// </summary>
    private static Query MatchText(List<AnalysedToken> clause)
    {
        var pairs = new List<Query>();
        for (var i = 1; i < clause.Count; i++)
        {
            if (clause[i].Position == clause[i - 1].Position + 1)
            {
                pairs.Add(new TermQuery(new Term(SearchFields.Text, WordPairFilter.Pair(clause[i - 1].Term, clause[i].Term))));
            }
        }
        if (clause.Count == 2 && pairs.Count == 1)
        {
            return pairs[0];
        }
        var phrase = Match(SearchFields.Text, clause);
        if (pairs.Count == 0)
        {
            return phrase;
        }
        var all = new BooleanQuery { { phrase, Occur.MUST } };
        foreach (var pair in pairs)
        {
            all.Add(pair, Occur.MUST);
        }
        return all;
    }

    private static Query Match(string field, List<AnalysedToken> clause)
    {
        if (clause.Count == 1)
        {
            return new TermQuery(new Term(field, clause[0].Term));
        }
        // Positions keep the gaps where stop words were, so "ouvrir le feu" stays a phrase.
        var phrase = new PhraseQuery();
        var first = clause[0].Position;
        foreach (var token in clause)
        {
            phrase.Add(new Term(field, token.Term), token.Position - first);
        }
        return phrase;
    }

    private static char ClosingQuote(char c) => c switch
    {
        '"' => '"',
        '«' => '»',
        '“' => '”',
        '„' => '“',
        _ => '\0',
    };

    /// <summary>Control and format characters become spaces; runs of spaces become one.</summary>
    public static string Clean(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }
        var text = new StringBuilder(Math.Min(raw.Length, MaxLength * 4));
        var space = false;
        foreach (var c in raw)
        {
            var blank = char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
            if (blank)
            {
                space = text.Length > 0;
                continue;
            }
            if (space)
            {
                text.Append(' ');
                space = false;
            }
            text.Append(c);
            if (text.Length > MaxLength * 4)
            {
                break;
            }
        }
        return text.ToString();
    }
}
