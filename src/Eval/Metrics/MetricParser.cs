using System.Globalization;

namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Turns metric names (<c>ndcg_cut_10</c>, <c>recip_rank</c>, <c>recip_rank_10</c>, <c>map</c>, <c>map_cut_100</c>,
/// <c>recall_100</c>, <c>P_10</c>, <c>judged_10</c>) into <see cref="IMetric"/> instances. trec_eval's dotted
/// spelling (<c>ndcg_cut.10</c>) is accepted too.
/// </summary>
public static class MetricParser
{
    /// <summary>The metrics used when none are requested.</summary>
    public const string DefaultList = "ndcg_cut_10,recip_rank_10,map,recall_100";

    public const string Supported = "ndcg_cut_K, recip_rank, recip_rank_K, map, map_cut_K, recall_K, P_K, judged_K";

    /// <summary>Parses a comma-separated list; throws <see cref="ArgumentException"/> naming the bad entry.</summary>
    public static IReadOnlyList<IMetric> ParseList(string names)
    {
        var metrics = new List<IMetric>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var metric = Parse(name);
            if (seen.Add(metric.Name))
                metrics.Add(metric);
        }
        if (metrics.Count == 0)
            throw new ArgumentException($"no metric given (supported: {Supported})");
        return metrics;
    }

    public static IMetric Parse(string name)
    {
        var normalized = name.Trim().Replace('.', '_');
        switch (normalized)
        {
            case "map":
                return new AveragePrecision();
            case "recip_rank":
                return new ReciprocalRank();
        }
        var split = normalized.LastIndexOf('_');
        if (split > 0 && int.TryParse(normalized[(split + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var k))
        {
            if (k < 1)
                throw new ArgumentException($"metric '{name}': cutoff must be at least 1");
            switch (normalized[..split])
            {
                case "ndcg_cut": return new Ndcg(k);
                case "recip_rank": return new ReciprocalRank(k);
                case "map_cut": return new AveragePrecision(k);
                case "recall": return new Recall(k);
                case "P": return new Precision(k);
                case "judged": return new Judged(k);
            }
        }
        throw new ArgumentException($"unknown metric '{name}' (supported: {Supported})");
    }
}
