using SearchRerank.Eval.Significance;

namespace SearchRerank.Eval.Reports;

/// <summary>
/// Everything a report shows: the evaluated runs (the first is the baseline), their comparisons with the baseline,
/// and the settings that produced them. Optional descriptions (e.g. <c>BM25(k1=0.9,b=0.4)</c>) are keyed by run name.
/// </summary>
public sealed record EvaluationReport(
    IReadOnlyList<EvaluationResult> Results,
    IReadOnlyList<PairComparison> Comparisons,
    int RelevanceThreshold,
    double Alpha)
{
    public IReadOnlyDictionary<string, string> Descriptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Free-form lines shown under the table (e.g. retrieval times of an experiment).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public EvaluationResult Baseline => Results[0];

    /// <summary>Builds the report: evaluates nothing, only runs the significance tests against the first result.</summary>
    public static EvaluationReport Create(IReadOnlyList<EvaluationResult> results, int relevanceThreshold, double alpha = RunComparison.DefaultAlpha)
    {
        if (results.Count == 0)
            throw new ArgumentException("a report needs at least one evaluated run");
        var duplicate = results.GroupBy(r => r.RunName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"two runs are named '{duplicate.Key}'; run names must be unique in a report");
        return new EvaluationReport(results, RunComparison.AgainstFirst(results, alpha), relevanceThreshold, alpha);
    }

    /// <summary>The comparison of <paramref name="run"/> with the baseline on <paramref name="metric"/>; null for the baseline itself.</summary>
    public PairComparison? Comparison(string run, string metric) =>
        Comparisons.FirstOrDefault(c => c.Candidate == run && c.Metric == metric);

    /// <summary>▲ significantly better than the baseline, ▼ significantly worse, empty otherwise.</summary>
    public string Mark(string run, string metric) => Comparison(run, metric)?.Direction switch
    {
        1 => "▲",
        -1 => "▼",
        _ => "",
    };

    public string Legend =>
        $"▲/▼: significantly better/worse than {Baseline.RunName} (two-sided paired t-test over {Baseline.QueryIds.Count} queries, " +
        $"Holm–Bonferroni across the {Results.Count - 1} compared run(s) per metric, p < {Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}).";
}
