using MathNet.Numerics.Distributions;

namespace SearchRerank.Eval.Significance;

/// <summary>
/// Two-sided paired Student t-test on per-query values (the test used by Pyserini/PyTerrier comparisons and
/// scipy.stats.ttest_rel): t = mean(d) / (sd(d) / √n) with d = candidate − baseline, n − 1 degrees of freedom,
/// p from the Student t distribution (MathNet.Numerics).
/// </summary>
public static class PairedTTest
{
    public static TTestResult Test(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.Count != candidate.Count)
            throw new ArgumentException($"paired samples differ in length: {baseline.Count} vs {candidate.Count}");
        var n = baseline.Count;
        if (n < 2)
            throw new ArgumentException($"a paired t-test needs at least 2 pairs, got {n}");

        var mean = 0.0;
        for (var i = 0; i < n; i++)
            mean += candidate[i] - baseline[i];
        mean /= n;
        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var deviation = candidate[i] - baseline[i] - mean;
            squares += deviation * deviation;
        }
        var standardError = Math.Sqrt(squares / (n - 1) / n);
        var df = n - 1;

        // Identical differences: no variance to test against. Equal systems are "no evidence" (p = 1);
        // a constant non-zero shift is certain (p = 0), matching the limit of t → ∞.
        if (standardError == 0)
            return mean == 0 ? new TTestResult(0, 0, df, 1) : new TTestResult(mean, Math.CopySign(double.PositiveInfinity, mean), df, 0);

        var t = mean / standardError;
        // The lower tail at −|t| keeps precision for large |t|, where 1 − CDF(|t|) would cancel to 0.
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new TTestResult(mean, t, df, Math.Min(1, p));
    }
}
