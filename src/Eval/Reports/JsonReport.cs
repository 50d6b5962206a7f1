using System.Text;
using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Eval.Reports;

/// <summary>
/// Machine-readable report:
/// <c>{"baseline": …, "relevance_threshold": 1, "alpha": 0.05, "queries": n, "significance_test": …,
/// "runs": {"&lt;run&gt;": {"description"?: …, "metrics": {"ndcg_cut_10": 0.67, …}, "missing_queries": 0,
/// "unjudged_queries": 0, "per_query": {"ndcg_cut_10": {"&lt;qid&gt;": 0.5, …}, …},
/// "significance"?: {"ndcg_cut_10": {"mean_difference", "t", "df", "p_value", "p_holm", "significant"}}}}}</c>.
/// Values keep full double precision; a non-finite t (identical non-zero differences) is written as null.
/// </summary>
public static class JsonReport
{
    public static string Render(EvaluationReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            WriteReport(json, report);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(EvaluationReport report, string path) => AtomicFile.WriteAllText(path, Render(report) + "\n");

    private static void WriteReport(Utf8JsonWriter json, EvaluationReport report)
    {
        json.WriteStartObject();
        json.WriteString("baseline", report.Baseline.RunName);
        json.WriteNumber("relevance_threshold", report.RelevanceThreshold);
        json.WriteNumber("alpha", report.Alpha);
        json.WriteNumber("queries", report.Baseline.QueryIds.Count);
        json.WriteString("significance_test", "two-sided paired t-test vs baseline, Holm-Bonferroni across runs per metric");
        json.WriteStartObject("runs");
        foreach (var result in report.Results)
        {
            json.WriteStartObject(result.RunName);
            if (report.Descriptions.TryGetValue(result.RunName, out var description))
                json.WriteString("description", description);
            json.WriteStartObject("metrics");
            foreach (var metric in result.MetricNames)
                json.WriteNumber(metric, result.Mean(metric));
            json.WriteEndObject();
            json.WriteNumber("missing_queries", result.MissingQueries);
            json.WriteNumber("unjudged_queries", result.UnjudgedQueries);
            json.WriteStartObject("per_query");
            foreach (var metric in result.MetricNames)
            {
                json.WriteStartObject(metric);
                var values = result.PerQuery(metric);
                for (var q = 0; q < values.Count; q++)
                    json.WriteNumber(result.QueryIds[q], values[q]);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (result != report.Baseline)
                WriteSignificance(json, report, result);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSignificance(Utf8JsonWriter json, EvaluationReport report, EvaluationResult result)
    {
        json.WriteStartObject("significance");
        foreach (var metric in result.MetricNames)
        {
            var comparison = report.Comparison(result.RunName, metric)!;
            json.WriteStartObject(metric);
            json.WriteNumber("mean_difference", comparison.Test.MeanDifference);
            if (double.IsFinite(comparison.Test.T))
                json.WriteNumber("t", comparison.Test.T);
            else
                json.WriteNull("t");
            json.WriteNumber("df", comparison.Test.DegreesOfFreedom);
            json.WriteNumber("p_value", comparison.Test.PValue);
            json.WriteNumber("p_holm", comparison.AdjustedPValue);
            json.WriteBoolean("significant", comparison.Significant);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
