namespace SearchRerank.Eval;

/// <summary>
/// Per-query values and means of one run. Query order is the qrels' order and is the same for every run evaluated
/// against the same qrels, which is what paired significance tests rely on.
/// </summary>
public sealed class EvaluationResult
{
    private readonly Dictionary<string, double[]> perQuery;
    private readonly Dictionary<string, double> means;

    internal EvaluationResult(string runName, IReadOnlyList<string> metricNames, IReadOnlyList<string> queryIds,
        double[][] values, int missingQueries, int unjudgedQueries)
    {
        RunName = runName;
        MetricNames = metricNames;
        QueryIds = queryIds;
        MissingQueries = missingQueries;
        UnjudgedQueries = unjudgedQueries;
        perQuery = new Dictionary<string, double[]>(StringComparer.Ordinal);
        means = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var m = 0; m < metricNames.Count; m++)
        {
            perQuery[metricNames[m]] = values[m];
            means[metricNames[m]] = values[m].Length == 0 ? 0 : values[m].Sum() / values[m].Length;
        }
    }

    public string RunName { get; }

    /// <summary>Metric names in the order they were requested.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>Every qrels query, in qrels order; the index into <see cref="PerQuery"/>.</summary>
    public IReadOnlyList<string> QueryIds { get; }

    /// <summary>Judged queries the run has no result for (they score 0, as with trec_eval -c).</summary>
    public int MissingQueries { get; }

    /// <summary>Run queries that have no judgments and were therefore left out.</summary>
    public int UnjudgedQueries { get; }

    /// <summary>Mean of <paramref name="metric"/> over all qrels queries.</summary>
    public double Mean(string metric) => means.TryGetValue(metric, out var mean)
        ? mean
        : throw new KeyNotFoundException($"metric '{metric}' was not evaluated");

    /// <summary>Values of <paramref name="metric"/> per query, aligned with <see cref="QueryIds"/>.</summary>
    public IReadOnlyList<double> PerQuery(string metric) => perQuery.TryGetValue(metric, out var values)
        ? values
        : throw new KeyNotFoundException($"metric '{metric}' was not evaluated");
}
