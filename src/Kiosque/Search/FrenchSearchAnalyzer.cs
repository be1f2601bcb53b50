using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Kiosque.Search;

/// <summary>
/// The one analyser for indexing, queries, highlighting and related articles, so that all four
/// agree on what a word is. Lucene's own FrenchAnalyzer does not fold accents, and readers type
/// "repression" for "répression": so elisions go first ("l'armée" → "armée"), then lower case,
/// then accents are folded, then stop words (folded too), then the light French stemmer
/// ("manifestants" → "manifestant"), which then sees the same letters whatever the reader typed.
/// </summary>
public sealed class FrenchSearchAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Words before an apostrophe that are not indexed on their own (l', d', qu', jusqu'…).</summary>
    private static readonly CharArraySet Elisions = new(Version,
        ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"], ignoreCase: true);

    private static readonly CharArraySet StopWords = FoldedStopWords();

    private readonly bool _pairs;

    /// <param name="pairs">
    /// Also index each two neighbouring words of the <see cref="SearchFields.Text"/> field as one
    /// term (see <see cref="WordPairFilter"/>): for the index writer only. Queries, snippets and
    /// related articles analyse text into plain words.
    /// </param>
    public FrenchSearchAnalyzer(bool pairs = false)
        : base(PER_FIELD_REUSE_STRATEGY)
    {
        _pairs = pairs;
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new ElisionFilter(source, Elisions);
        stream = new LowerCaseFilter(Version, stream);
        stream = new ASCIIFoldingFilter(stream);
        stream = new StopFilter(Version, stream, StopWords);
        stream = new FrenchLightStemFilter(stream);
        if (_pairs && fieldName == SearchFields.Text)
        {
            stream = new WordPairFilter(stream);
        }
        return new TokenStreamComponents(source, stream);
    }

    /// <summary>A phrase never runs from one part of an article into the next (headline into body…).</summary>
    public override int GetPositionIncrementGap(string fieldName) => 100;

    /// <summary>The analysed terms of a text, in order, with where each came from in it.</summary>
    public static List<AnalysedToken> Tokens(Analyzer analyzer, string field, string text, int maxTokens = int.MaxValue)
    {
        var tokens = new List<AnalysedToken>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        var offset = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.IOffsetAttribute>();
        var increment = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (tokens.Count < maxTokens && stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add(new AnalysedToken(term.ToString(), position, offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return tokens;
    }

    private static CharArraySet FoldedStopWords()
    {
        var folded = new CharArraySet(Version, 200, ignoreCase: true);
        foreach (var word in FrenchAnalyzer.DefaultStopSet)
        {
            folded.Add(Fold(word));
        }
        return folded;
    }

    private static string Fold(string word)
    {
        var input = word.ToCharArray();
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }
}

/// <summary>One analysed word: its indexed form, its position, and its span in the original text.</summary>
public readonly record struct AnalysedToken(string Term, int Position, int Start, int End);
