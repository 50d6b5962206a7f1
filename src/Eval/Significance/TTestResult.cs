namespace SearchRerank.Eval.Significance;

/// <summary>Outcome of a paired t-test of candidate − baseline: mean difference, t statistic, degrees of freedom, two-sided p.</summary>
public sealed record TTestResult(double MeanDifference, double T, int DegreesOfFreedom, double PValue);
