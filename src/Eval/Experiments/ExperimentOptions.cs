using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Significance;

namespace SearchRerank.Eval.Experiments;

/// <summary>How an experiment is scored and reported.</summary>
public sealed record ExperimentOptions(IReadOnlyList<IMetric> Metrics)
{
    /// <summary>Minimum grade that counts as relevant (trec_eval -l).</summary>
    public int RelevanceThreshold { get; init; } = 1;

    /// <summary>Family-wise significance level for the Holm-corrected t-tests.</summary>
    public double Alpha { get; init; } = RunComparison.DefaultAlpha;

    /// <summary>Heading of the Markdown and HTML reports.</summary>
    public string Title { get; init; } = "Retrieval experiment";
}
