using Kiosque.Search;

namespace Kiosque.Tests.Search;

/// <summary>The analyser, the reader's query and the snippets, with the real Lucene analysis chain.</summary>
public sealed class FrenchAnalysisTests : IDisposable
{
    private readonly FrenchSearchAnalyzer _analyzer = new();

    private List<string> Terms(string text) => FrenchSearchAnalyzer.Tokens(_analyzer, SearchFields.Text, text).Select(t => t.Term).ToList();

    [Theory]
    [InlineData("répression", "repression")]
    [InlineData("Répression", "REPRESSION")]
    [InlineData("l'armée", "armée")]
    [InlineData("l’armée", "armee")]
    [InlineData("d'Almaty", "Almaty")]
    [InlineData("qu'elles", "elles")]
    [InlineData("manifestants", "manifestant")]
    [InlineData("manifestantes", "manifestante")]
    [InlineData("arrêtés", "arrêté")]
    [InlineData("élections", "election")]
    public void Variants_a_reader_may_type_analyse_to_the_same_terms(string written, string typed)
    {
        Assert.NotEmpty(Terms(written));
        Assert.Equal(Terms(written), Terms(typed));
    }

    [Fact]
    public void Stop_words_and_punctuation_are_not_indexed()
    {
        Assert.Empty(Terms("le la les de des et à où ( [ ~ * « » — !"));
        Assert.Equal(2, Terms("Les troupes ont été déployées").Count(t => t.Length > 0) - Terms("ont").Count);
    }

    [Fact]
    public void Offsets_point_at_the_original_words()
    {
        const string text = "Selon l’armée, les manifestants…";
        var tokens = FrenchSearchAnalyzer.Tokens(_analyzer, SearchFields.Text, text);
        Assert.Equal(["l’armée", "manifestants"], tokens.Where(t => t.Term != Terms("selon").Single()).Select(t => text[t.Start..t.End]));
    }

    [Theory]
    [InlineData("AND OR ( [ ~ *")]
    [InlineData("*:*")]
    [InlineData("headline:foo^10")]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("« non fermé")]
    [InlineData("a\0b\u0001c\u001f\u007f\u200b")]
    [InlineData("\uFFFD\uFFFD")]
    [InlineData("NOT -manifestants +armée")]
    [InlineData("(((((((((((((((((((((")]
    public void Any_input_is_plain_words_never_query_syntax(string input)
    {
        var query = UserQuery.Parse(input, _analyzer);
        Assert.NotEqual(UserQueryProblem.TooLong, query.Problem);
        Assert.DoesNotContain(query.Text, c => char.IsControl(c));
        if (query.Query is not null)
        {
            Assert.DoesNotContain("*", query.Query.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Overlong_queries_are_refused_and_many_words_are_capped()
    {
        Assert.Equal(UserQueryProblem.TooLong, UserQuery.Parse(new string('a', 10_000), _analyzer).Problem);
        var many = UserQuery.Parse(string.Join(' ', Enumerable.Range(0, 40).Select(i => $"mot{i}")), _analyzer);
        Assert.Equal(UserQueryProblem.None, many.Problem);
        Assert.Equal(UserQuery.MaxClauses, ((Lucene.Net.Search.BooleanQuery)many.Query!).Clauses.Count);
        Assert.Equal(UserQueryProblem.NoWords, UserQuery.Parse("le la les", _analyzer).Problem);
        Assert.True(UserQuery.Parse("   ", _analyzer).IsEmpty);
    }

    [Fact]
    public void Quotes_make_a_phrase_and_words_outside_stay_words()
    {
        var query = UserQuery.Parse("Almaty \"ouvrir le feu\" «forces armées»", _analyzer);
        var text = query.Query!.ToString();
        // The stop word keeps its place in the phrase ("?"), so "ouvrir le feu" does not match "ouvrir feu".
        Assert.Contains($"+text:\"{Terms("ouvrir")[0]} ? {Terms("feu")[0]}\"", text, StringComparison.Ordinal);
        Assert.Contains($"headline:\"{Terms("ouvrir")[0]} ? {Terms("feu")[0]}\"", text, StringComparison.Ordinal);
        // Two neighbouring words are one term: their pair.
        Assert.Contains($"+text:{Terms("forces")[0]} {Terms("armées")[0]}", text, StringComparison.Ordinal);
        Assert.Contains($"headline:\"{Terms("forces")[0]} {Terms("armées")[0]}\"", text, StringComparison.Ordinal);
        Assert.Contains("+text:almaty", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippets_mark_matches_escape_the_text_and_cut_at_words()
    {
        var body = string.Join(' ', Enumerable.Repeat("Un long préambule sans rapport.", 20))
            + " Selon l’armée, les <manifestants> & leurs soutiens ont été dispersés. "
            + string.Join(' ', Enumerable.Repeat("Une longue conclusion.", 20));
        var terms = UserQuery.Parse("armée manifestant", _analyzer).Terms;

        var snippet = Snippets.Make(_analyzer, body, terms)!;

        Assert.Contains("<mark>l’armée</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;<mark>manifestants</mark>&gt; &amp; leurs", snippet, StringComparison.Ordinal);
        Assert.StartsWith("… ", snippet, StringComparison.Ordinal);
        Assert.EndsWith(" …", snippet, StringComparison.Ordinal);
        Assert.True(snippet.Length < 400);
        Assert.Null(Snippets.Make(_analyzer, body, UserQuery.Parse("absent", _analyzer).Terms));
    }

    public void Dispose() => _analyzer.Dispose();
}
