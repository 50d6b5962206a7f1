namespace SearchRerank.Eval.Regressions;

/// <summary>One expected figure of an entry against the one measured: passes when they differ by at most the tolerance.</summary>
internal sealed record RegressionCheck(string Entry, string Metric, double Expected, double Measured, double Tolerance)
{
    public double Difference => Measured - Expected;

    // A figure is compared as printed (4 decimals): 0.67891 against an expected 0.6789 with tolerance 0 passes.
    public bool Passed => Math.Abs(Math.Round(Measured, 4) - Expected) <= Tolerance + 1e-9;

    /// <summary>The checks of one entry: every expected metric against the mean measured over its runs (one per seed).</summary>
    public static IReadOnlyList<RegressionCheck> Of(string collection, RegressionEntry entry, IReadOnlyList<EvaluationResult> runs)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (runs.Count == 0)
            throw new ArgumentException($"entry '{entry.Name}' produced no run", nameof(runs));
        return entry.Expected
            .Select(e => new RegressionCheck($"{collection}/{entry.Name}", e.Key, e.Value, runs.Average(r => r.Mean(e.Key)), entry.Tolerance))
            .ToArray();
    }
}
