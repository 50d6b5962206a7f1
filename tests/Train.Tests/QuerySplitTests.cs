using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Tests;

public sealed class QuerySplitTests
{
    // 100 judged queries: s00–s29 share their relevant document in pairs (15 documents), u00–u69 each have their own;
    // every query also has a non-relevant judgment on one common document, which must not make it "shared".
    private static readonly string[] Judged = Enumerable.Range(0, 30).Select(i => $"s{i:00}")
        .Concat(Enumerable.Range(0, 70).Select(i => $"u{i:00}")).Order(StringComparer.Ordinal).ToArray();

    private static readonly Qrels Judgments = new(Judged.SelectMany(id => new[]
    {
        (id, id[0] == 's' ? $"shared{int.Parse(id[1..]) / 2}" : $"own-{id}", 1),
        (id, "common-non-relevant", 0),
    }));

    private static int SharedIn(IReadOnlySet<string> heldOut) => heldOut.Count(id => id[0] == 's');

    [Fact]
    public void StrataHoldOutEachGroupInItsShareOfThePool()
    {
        for (long seed = 0; seed < 50; seed++)
        {
            var heldOut = QuerySplit.HeldOut(Judged, Judgments, 20, seed, ValidationSplit.SharedPositiveStrata);
            Assert.Equal(20, heldOut.Count);
            Assert.Equal(6, SharedIn(heldOut));
            Assert.All(heldOut, id => Assert.Contains(id, Judged));
        }
    }

    [Fact]
    public void ARandomSplitDrawsTheShareByChance()
    {
        var shares = Enumerable.Range(0, 50)
            .Select(seed => SharedIn(QuerySplit.HeldOut(Judged, Judgments, 20, seed, ValidationSplit.Random))).ToArray();
        Assert.Contains(shares, n => n != 6);
        Assert.InRange(shares.Average(), 4.5, 7.5);
    }

    [Theory]
    [InlineData(ValidationSplit.Random)]
    [InlineData(ValidationSplit.SharedPositiveStrata)]
    public void TheSplitIsFixedBySeed(ValidationSplit split)
    {
        var first = QuerySplit.HeldOut(Judged, Judgments, 20, 13, split);
        Assert.Equal(first, QuerySplit.HeldOut(Judged, Judgments, 20, 13, split));
        Assert.NotEqual(first, QuerySplit.HeldOut(Judged, Judgments, 20, 14, split));
    }

    [Fact]
    public void StrataKeepTheRandomOrderWithinEachStratum()
    {
        // Where the random draw already has the pool's share, stratifying changes nothing.
        int compared = 0;
        for (long seed = 0; seed < 50; seed++)
        {
            var random = QuerySplit.HeldOut(Judged, Judgments, 20, seed, ValidationSplit.Random);
            if (SharedIn(random) != 6)
                continue;
            Assert.Equal(random, QuerySplit.HeldOut(Judged, Judgments, 20, seed, ValidationSplit.SharedPositiveStrata));
            compared++;
        }
        Assert.True(compared > 0);
    }

    [Fact]
    public void CountsHeldOutQueriesWhoseRelevantDocumentATrainingQueryShares()
    {
        var qrels = new Qrels([("a", "d1", 1), ("b", "d1", 2), ("c", "d2", 1), ("d", "d3", 0), ("d", "d4", 1), ("e", "d3", 1)]);
        // a shares d1 with training query b; c's d2 is its own; d's shared d3 is judged non-relevant for it.
        static Topic[] Queries(params string[] ids) => ids.Select(id => new Topic(id, id)).ToArray();
        var split = new QuerySplit(training: Queries("b", "e"), validation: Queries("a", "c", "d"));
        Assert.Equal(1, split.ValidationSharingATrainingPositive(qrels));
    }
}
