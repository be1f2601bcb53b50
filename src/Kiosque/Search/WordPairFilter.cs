using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Kiosque.Search;

/// <summary>
/// After each word that directly follows another, also emits the pair of them as one term at the
/// same position ("conseil municipal"): a two-word phrase is then one term to look up instead of
/// two position lists to walk in step, which made a phrase of two common words the slowest search
/// there was. A stop word between two words leaves a gap, and no pair is made across it. Pairs
/// sit at the second word's position with no increment, so positions, phrases of three words and
/// more, and the length used in scoring (overlaps are discounted) are those of the words alone.
/// Done in the words' own chain rather than with Lucene's ShingleFilter on a second field, which
/// analysed every text twice and doubled the time of a rebuild.
/// </summary>
public sealed class WordPairFilter : TokenFilter
{
    /// <summary>Never inside a word (the tokenizer splits on spaces), so a pair cannot be taken for one.</summary>
    public const char Separator = ' ';

    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _increment;
    private char[] _previous = new char[32];
    private int _previousLength = -1;
    private char[] _pair = new char[64];
    private int _pairLength = -1;

    public WordPairFilter(TokenStream input)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _increment = AddAttribute<IPositionIncrementAttribute>();
    }

    public static string Pair(string first, string second) => first + Separator + second;

    public override bool IncrementToken()
    {
        if (_pairLength >= 0)
        {
            // The pair ending at the word just given: same position, same offsets as that word.
            _term.CopyBuffer(_pair, 0, _pairLength);
            _increment.PositionIncrement = 0;
            _pairLength = -1;
            return true;
        }
        if (!m_input.IncrementToken())
        {
            return false;
        }
        var length = _term.Length;
        if (_previousLength >= 0 && _increment.PositionIncrement == 1)
        {
            var pairLength = _previousLength + 1 + length;
            if (_pair.Length < pairLength)
            {
                _pair = new char[pairLength * 2];
            }
            Array.Copy(_previous, _pair, _previousLength);
            _pair[_previousLength] = Separator;
            Array.Copy(_term.Buffer, 0, _pair, _previousLength + 1, length);
            _pairLength = pairLength;
        }
        if (_previous.Length < length)
        {
            _previous = new char[Math.Max(length, _previous.Length * 2)];
        }
        Array.Copy(_term.Buffer, _previous, length);
        _previousLength = length;
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _previousLength = -1;
        _pairLength = -1;
    }
}
