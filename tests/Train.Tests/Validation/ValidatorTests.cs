using SearchRerank.Eval;
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

    // Two candidates per query, so both stages' z-scores are ±1 and the fused order flips at α = 0.5 wherever the stages
    // disagree; at 0.5 the tie goes to the larger docid (trec_eval), so a relevant "r" loses it to "x" and a relevant "z"
    // wins it. "model right": BM25 ranks x above r, the model r above x (nDCG@10 1 for α < 0.5, 1/log2(3) from 0.5 up).
    // "BM25 right": BM25 ranks z above x, the model x above z (1/log2(3) below 0.5, 1 from 0.5 up).
    private static readonly double SecondPlace = 1 / Math.Log2(3);

    private static (ValidationQuery[] Queries, Qrels Qrels) Disagreements(int modelRight, int firstStageRight)
    {
        var queries = new List<ValidationQuery>();
        var judgments = new List<(string, string, int)>();
        for (int i = 0; i < modelRight; i++)
        {
            queries.Add(new($"m{i}", "q", [new("x", 1, 2), new("r", 2, 1)]));
            judgments.Add(($"m{i}", "r", 1));
        }
        for (int i = 0; i < firstStageRight; i++)
        {
            queries.Add(new($"f{i}", "q", [new("z", 1, 2), new("x", 2, 1)]));
            judgments.Add(($"f{i}", "z", 1));
        }
        return (queries.ToArray(), new Qrels(judgments));
    }

    private static float[] DisagreeingModel(ValidationQuery q) =>
        q.Candidates.Select(c => c.DocId == "r" || (c.DocId == "x" && q.Id.StartsWith('f')) ? 1f : 0f).ToArray();

    [Fact]
    public void OneStandardErrorRuleMovesANoisyBestAlphaToEqualWeight()
    {
        // 6 queries where the model is right, 4 where BM25 is: α < 0.5 scores (6 + 4·s)/10, α ≥ 0.5 (6·s + 4)/10 with
        // s = 1/log2(3). The per-query differences at 0.5 against the best (α = 0) are −(1 − s) six times and +(1 − s)
        // four times: mean −0.2(1 − s) ≈ −0.074, standard error ≈ 0.121, so 0.5 is within one standard error.
        var (queries, qrels) = Disagreements(6, 4);
        var scores = new Validator(queries, qrels).Evaluate(DisagreeingModel);
        var best = new Validator(queries, qrels, AlphaSelection.Best).TuneFusion(scores);
        Assert.Equal(0.0, best.Alpha);
        Assert.Equal((6 + 4 * SecondPlace) / 10, best.Ndcg, 12);

        var rule = new Validator(queries, qrels, AlphaSelection.OneStandardError).TuneFusion(scores);
        Assert.Equal(0.5, rule.Alpha, 12);
        Assert.Equal((6 * SecondPlace + 4) / 10, rule.Ndcg, 12);
        Assert.Equal(best.ModelNdcg, rule.ModelNdcg, 12);
    }

    [Fact]
    public void OneStandardErrorRuleKeepsAClearBestAndStopsAtItsEdge()
    {
        // The model is right on all 10 queries: every α < 0.5 scores 1, every α ≥ 0.5 loses 1 − s on every query (no
        // spread, standard error 0), so the rule takes the α below 0.5 nearest to it.
        var (queries, qrels) = Disagreements(10, 0);
        var validator = new Validator(queries, qrels, AlphaSelection.OneStandardError);
        var fusion = validator.TuneFusion(validator.Evaluate(DisagreeingModel));
        Assert.Equal(0.45, fusion.Alpha, 12);
        Assert.Equal(1.0, fusion.Ndcg, 12);
    }
}
