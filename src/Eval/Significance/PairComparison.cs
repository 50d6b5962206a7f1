namespace SearchRerank.Eval.Significance;

/// <summary>
/// One metric of one candidate run compared with the baseline run: the paired t-test and its Holm-adjusted p-value
/// (the family being all candidates compared with the baseline on this metric).
/// </summary>
public sealed record PairComparison(
    string Metric,
    string Baseline,
    string Candidate,
    TTestResult Test,
    double AdjustedPValue,
    double Alpha)
{
    public bool Significant => AdjustedPValue < Alpha;

    /// <summary>+1 significantly better than the baseline, −1 significantly worse, 0 no significant difference.</summary>
    public int Direction => Significant ? Math.Sign(Test.MeanDifference) : 0;
}
