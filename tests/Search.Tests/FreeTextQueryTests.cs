using Lucene.Net.Search;
using SearchRerank.Search.Analysis;

namespace SearchRerank.Search.Tests;

public class FreeTextQueryTests
{
    private static readonly Lucene.Net.Analysis.Analyzer English = Analyzers.Create(Analyzers.English);

    [Fact]
    public void EachDistinctTermIsOneShouldClauseBoostedByItsCount()
    {
        var query = Assert.IsType<BooleanQuery>(FreeTextQuery.Build(English, "cats cat mat CAT"));
        Assert.True(query.CoordDisabled);
        var clauses = query.Clauses.Select(c => (c.Occur, Term: ((TermQuery)c.Query).Term.Text, c.Query.Boost)).ToArray();
        Assert.Equal([(Occur.SHOULD, "cat", 3f), (Occur.SHOULD, "mat", 1f)], clauses);
    }

    [Theory]
    [InlineData("")]
    [InlineData("the of and")]
    [InlineData("!!!")]
    public void NoTermsGiveNoQuery(string text) => Assert.Null(FreeTextQuery.Build(English, text));

    [Fact]
    public void MoreDistinctTermsThanLucenesClauseLimitNestWithoutLosingAny()
    {
        var words = Enumerable.Range(0, 3 * BooleanQuery.MaxClauseCount + 5).Select(i => $"w{i}x").ToArray();
        var query = Assert.IsType<BooleanQuery>(FreeTextQuery.Build(English, string.Join(' ', words)));
        Assert.True(query.Clauses.Count <= BooleanQuery.MaxClauseCount);
        static IEnumerable<string> Leaves(Query q) => q is BooleanQuery b
            ? b.Clauses.SelectMany(c => Leaves(c.Query))
            : [((TermQuery)q).Term.Text];
        Assert.Equal(words.Length, Leaves(query).Distinct().Count());
    }
}
