
namespace SearchRerank.Core.Tests;

public class RunTests
{
    [Fact]
    public void RanksByScoreDescendingThenDocIdDescending()
    {
        var run = new Run("r");
        run.Add("q", "a", 1.0);
        run.Add("q", "c", 2.0);
        run.Add("q", "b", 1.0);
        run.Add("q", "d", 1.0);
        Assert.Equal(["c", "d", "b", "a"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void DocIdTieBreakIsByteWiseNotNumeric()
    {
        var run = new Run("r");
        foreach (var id in new[] { "9", "10", "100", "B", "a" })
            run.Add("q", id, 0.5);
        // strcmp order descending: "a" > "B" > "9" > "100" > "10".
        Assert.Equal(["a", "B", "9", "100", "10"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void ScoresEqualAtFloatPrecisionAreTiesLikeTrecEval()
    {
        var run = new Run("r");
        run.Add("q", "a", 1.00000001);
        run.Add("q", "b", 1.0);
        Assert.Equal(["b", "a"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void AddingAfterRankingReRanks()
    {
        var run = new Run("r");
        run.Add("q", "a", 1);
        Assert.Single(run.Ranked("q"));
        run.Add("q", "b", 2);
        Assert.Equal(["b", "a"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void DuplicateDocumentIsRejected()
    {
        var run = new Run("r");
        run.Add("q", "a", 1);
        var error = Assert.Throws<ArgumentException>(() => run.Add("q", "a", 2));
        Assert.Contains("duplicate document 'a' for query 'q'", error.Message);
        run.Add("other", "a", 1);
    }

    [Fact]
    public void UnknownQueryIsEmptyAndQueryOrderIsKept()
    {
        var run = new Run("r");
        run.Add("2", "a", 1);
        run.Add("1", "a", 1);
        Assert.Empty(run.Ranked("3"));
        Assert.Equal(["2", "1"], run.QueryIds);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteScoreIsRejected(double score) =>
        Assert.Throws<ArgumentException>(() => new Run("r").Add("q", "a", score));
}
