using System.Globalization;

namespace SearchRerank.Eval.Metrics;

/// <summary>
/// The spelling papers use for a trec_eval metric name (<c>ndcg_cut_10</c> → <c>nDCG@10</c>), for chart axes and
/// headings where the trec_eval name would make a reader stop. Unknown names are returned unchanged.
/// </summary>
public static class MetricLabel
{
    public static string For(string metricName)
    {
        ArgumentNullException.ThrowIfNull(metricName);
        switch (metricName)
        {
            case "map":
                return "MAP";
            case "recip_rank":
                return "RR";
        }
        var split = metricName.LastIndexOf('_');
        if (split <= 0 || !int.TryParse(metricName.AsSpan(split + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            return metricName;
        var prefix = metricName[..split] switch
        {
            "ndcg_cut" => "nDCG",
            "recip_rank" => "RR",
            "map_cut" => "MAP",
            "recall" => "R",
            "P" => "P",
            "judged" => "judged",
            _ => null,
        };
        return prefix is null ? metricName : string.Create(CultureInfo.InvariantCulture, $"{prefix}@{k}");
    }
}
