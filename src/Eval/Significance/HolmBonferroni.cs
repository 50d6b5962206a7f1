namespace SearchRerank.Eval.Significance;

/// <summary>
/// Holm–Bonferroni step-down correction (Holm, Scand. J. Statistics 6(2), 1979) for a family of m tests:
/// sort p ascending, adjusted p(i) = max over j ≤ i of min(1, (m − j + 1) · p(j)); reject where adjusted p &lt; α.
/// Controls the family-wise error rate without assuming independence, and is never less powerful than Bonferroni.
/// </summary>
public static class HolmBonferroni
{
    /// <summary>Adjusted p-values, in the order of <paramref name="pValues"/>.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var p = pValues[order[rank]];
            if (double.IsNaN(p) || p < 0 || p > 1)
                throw new ArgumentOutOfRangeException(nameof(pValues), p, "p-values must lie in [0, 1]");
            running = Math.Max(running, Math.Min(1, (m - rank) * p));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
