namespace SearchRerank.Eval.Significance;

/// <summary>
/// Compares every run with the first one (the baseline) on every metric: a two-sided paired t-test per
/// (metric, candidate) over all qrels queries, Holm–Bonferroni-corrected across the candidates of each metric.
/// </summary>
public static class RunComparison
{
    public const double DefaultAlpha = 0.05;

    public static IReadOnlyList<PairComparison> AgainstFirst(IReadOnlyList<EvaluationResult> results, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (alpha is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "significance level must lie in (0, 1)");
        if (results.Count < 2)
            return [];
        var baseline = results[0];
        foreach (var other in results.Skip(1))
        {
            if (!other.QueryIds.SequenceEqual(baseline.QueryIds))
                throw new ArgumentException($"runs '{baseline.RunName}' and '{other.RunName}' were evaluated on different queries");
        }

        var comparisons = new List<PairComparison>();
        foreach (var metric in baseline.MetricNames)
        {
            var tests = results.Skip(1)
                .Select(candidate => (candidate.RunName, Test: PairedTTest.Test(baseline.PerQuery(metric), candidate.PerQuery(metric))))
                .ToArray();
            var adjusted = HolmBonferroni.Adjust(tests.Select(t => t.Test.PValue).ToArray());
            for (var i = 0; i < tests.Length; i++)
                comparisons.Add(new PairComparison(metric, baseline.RunName, tests[i].RunName, tests[i].Test, adjusted[i], alpha));
        }
        return comparisons;
    }
}
