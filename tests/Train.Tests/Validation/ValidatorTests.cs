using SearchRerank.Evaluation;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Tests.Validation;

public sealed class ValidatorTests
{
    // q1: BM25 puts the relevant document last, q2 first.
    private static readonly ValidationQuery[] Queries =
    [
        new("q1", "one", [new("x", 1, 9), new("y", 2, 8), new("r1", 3, 7)]),
        new("q2", "two", [new("r2", 1, 5), new("x", 2, 4), new("y", 3, 3)]),
    ];

    private static readonly Qrels Judgments = new([("q1", "r1", 1), ("q2", "r2", 1), ("q3", "x", 1)]);

    [Fact]
    public void FirstStageAndModelNdcgAreTrecEvalNdcgAt10OverTheHeldOutQueries()
    {
        var validator = new Validator(Queries, Judgments);
        // q1: relevant at rank 3 → 1/log2(4) = 0.5; q2: rank 1 → 1.
        Assert.Equal(0.75, validator.FirstStageNdcg, 12);
        var perfect = validator.Evaluate(q => q.Candidates.Select(c => c.DocId.StartsWith("r") ? 1f : 0f).ToArray());
        Assert.Equal(1.0, perfect.ModelNdcg, 12);
        var inverted = validator.Evaluate(q => q.Candidates.Select(c => c.DocId.StartsWith("r") ? -1f : 0f).ToArray());
        Assert.Equal(0.5, inverted.ModelNdcg, 12);
        Assert.Throws<InvalidOperationException>(() => validator.Evaluate(_ => [1f]));
    }

    [Fact]
    public void FusionPicksTheSmallestBestAlphaOnTheGrid()
    {
        var validator = new Validator(Queries, Judgments);
        var perfect = validator.Evaluate(q => q.Candidates.Select(c => c.DocId.StartsWith("r") ? 1f : 0f).ToArray());
        var fusion = validator.TuneFusion(perfect);
        Assert.Equal(0.0, fusion.Alpha);
        Assert.Equal(1.0, fusion.Ndcg, 12);

        // A constant model ranks by the docid tie-break (relevant last, 0.5); any α > 0 recovers the first stage (0.75).
        var constant = validator.Evaluate(q => new float[q.Candidates.Count]);
        var fallback = validator.TuneFusion(constant);
        Assert.Equal(0.05, fallback.Alpha, 12);
        Assert.Equal(0.75, fallback.Ndcg, 12);
    }

    [Fact]
    public void ZScoresAreStandardisedAndConstantListsGiveZeros()
    {
        var z = ZScoreFusion.Standardize([1.0, 2.0, 3.0]);
        Assert.Equal(-Math.Sqrt(1.5), z[0], 12);
        Assert.Equal(0.0, z[1], 12);
        Assert.Equal([0.0, 0.0], ZScoreFusion.Standardize([4.0, 4.0]));
        Assert.Empty(ZScoreFusion.Standardize([]));
        Assert.Equal([-0.5 * Math.Sqrt(1.5) + 0.5 * Math.Sqrt(1.5), 0, 0], ZScoreFusion.Fuse(0.5, [1.0, 2.0, 3.0], [3.0, 2.0, 1.0]).Select(v => Math.Round(v, 12)));
        Assert.Throws<ArgumentException>(() => ZScoreFusion.Fuse(0.5, [1.0], [1.0, 2.0]));
    }
}
