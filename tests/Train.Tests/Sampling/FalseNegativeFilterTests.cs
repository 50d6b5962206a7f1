using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Tests.Sampling;

public sealed class FalseNegativeFilterTests
{
    private static Candidate[] Ranked(params (string Id, int Rank)[] docs) => docs.Select(d => new Candidate(d.Id, d.Rank, 10.0 / Math.Max(d.Rank, 1))).ToArray();

    [Fact]
    public void NegativesRankedAboveTheBestJudgedPositiveAreLeftOut()
    {
        var positiveAtFour = new TrainingQuery("a", "q a", Ranked(("p1", 4), ("p2", 9)), Ranked(("n1", 1), ("n2", 2), ("n3", 3), ("n5", 5), ("n6", 6)), 0, 10);
        var positiveFirst = new TrainingQuery("b", "q b", Ranked(("p", 1)), Ranked(("m2", 2), ("m3", 3)), 0, 10);
        var notRetrieved = new TrainingQuery("c", "q c", Ranked(("p", 0)), Ranked(("k1", 1), ("k2", 2)), 0, 10);
        var unretrievedBeside = new TrainingQuery("d", "q d", Ranked(("p0", 0), ("p3", 3)), Ranked(("j1", 1), ("j4", 4)), 0, 10);

        var (filtered, removed) = FalseNegativeFilter.SkipAbovePositive([positiveAtFour, positiveFirst, notRetrieved, unretrievedBeside]);

        Assert.Equal(["n5", "n6"], filtered[0].Negatives.Select(n => n.DocId));
        Assert.Equal(positiveAtFour.Positives, filtered[0].Positives);
        Assert.Equal(["m2", "m3"], filtered[1].Negatives.Select(n => n.DocId));
        Assert.Same(notRetrieved, filtered[2]);
        Assert.Equal(["j4"], filtered[3].Negatives.Select(n => n.DocId));
        Assert.Equal(3 + 0 + 0 + 1, removed);
    }
}
