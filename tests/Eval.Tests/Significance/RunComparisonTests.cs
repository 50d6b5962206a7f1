using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Significance;

namespace SearchRerank.Eval.Tests.Significance;

public class RunComparisonTests
{
    /// <summary>Ten queries, each with one relevant document "rel"; a run puts it at the given rank (0 = not retrieved).</summary>
    internal static EvaluationResult Evaluate(string name, int[] ranks)
    {
        var judgments = Enumerable.Range(0, ranks.Length).Select(q => ($"q{q}", "rel", 1));
        var qrels = new Qrels(judgments);
        var run = new Run(name);
        for (var q = 0; q < ranks.Length; q++)
        {
            for (var r = 1; r <= 5; r++)
                run.Add($"q{q}", r == ranks[q] ? "rel" : $"n{r}", 10 - r);
        }
        return new Evaluator([new ReciprocalRank(), new Precision(1)]).Evaluate(run, qrels);
    }

    [Fact]
    public void ComparesEveryRunWithTheFirstAndAppliesHolmPerMetric()
    {
        var baseline = Evaluate("base", [5, 4, 5, 3, 5, 4, 0, 5, 4, 5]);
        var better = Evaluate("better", [1, 1, 2, 1, 1, 1, 2, 1, 1, 1]);
        var same = Evaluate("same", [5, 4, 5, 3, 5, 4, 0, 5, 4, 4]);
        var comparisons = RunComparison.AgainstFirst([baseline, better, same]);

        Assert.Equal(4, comparisons.Count);
        var rr = comparisons.Where(c => c.Metric == "recip_rank").ToArray();
        Assert.Equal(["better", "same"], rr.Select(c => c.Candidate));
        Assert.All(rr, c => Assert.Equal("base", c.Baseline));
        var raw = rr.Select(c => PairedTTest.Test(baseline.PerQuery("recip_rank"), Candidate(c.Candidate).PerQuery("recip_rank")).PValue).ToArray();
        Assert.Equal(HolmBonferroni.Adjust(raw), rr.Select(c => c.AdjustedPValue));
        Assert.Equal(1, rr[0].Direction);
        Assert.Equal(0, rr[1].Direction);
        Assert.False(rr[1].Significant);

        EvaluationResult Candidate(string name) => name == "better" ? better : same;
    }

    [Fact]
    public void SingleRunHasNothingToCompare() =>
        Assert.Empty(RunComparison.AgainstFirst([Evaluate("base", [1, 2, 3, 4, 5, 1, 2, 3, 4, 5])]));

    [Fact]
    public void RejectsBadAlpha() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RunComparison.AgainstFirst([], alpha: 1.5));
}
