using System.Globalization;
using System.Text;
using SearchRerank.Core;

namespace SearchRerank.Eval.Reports;

/// <summary>
/// Human-readable report in Markdown: one row per run with the mean of every metric (4 decimals, as trec_eval
/// prints) and ▲/▼ marks for significant differences from the baseline, then the test details per metric.
/// </summary>
public static class MarkdownReport
{
    public static string Render(EvaluationReport report, string title)
    {
        var text = new StringBuilder();
        var metrics = report.Baseline.MetricNames;
        text.AppendLine($"# {title}").AppendLine();
        text.AppendLine(Invariant($"Queries: {report.Baseline.QueryIds.Count} (every qrels query counts; a query a run does not answer scores 0, as with `trec_eval -c`). Relevant: grade ≥ {report.RelevanceThreshold}."));
        text.AppendLine();

        text.Append("| run |");
        foreach (var metric in metrics)
            text.Append($" {metric} |");
        text.AppendLine();
        text.Append("| --- |");
        foreach (var _ in metrics)
            text.Append(" ---: |");
        text.AppendLine();
        foreach (var result in report.Results)
        {
            text.Append($"| {Escape(Label(report, result.RunName))} |");
            foreach (var metric in metrics)
                text.Append(Invariant($" {result.Mean(metric):F4}{report.Mark(result.RunName, metric)} |"));
            text.AppendLine();
        }
        text.AppendLine().AppendLine(report.Legend);
        if (report.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in report.Notes)
                text.AppendLine($"- {note}");
        }

        var missing = report.Results.Where(r => r.MissingQueries > 0 || r.UnjudgedQueries > 0).ToArray();
        if (missing.Length > 0)
        {
            text.AppendLine();
            foreach (var result in missing)
                text.AppendLine($"- {Escape(result.RunName)}: {result.MissingQueries} judged queries without results (scored 0), {result.UnjudgedQueries} unjudged queries ignored.");
        }

        if (report.Comparisons.Count > 0)
        {
            text.AppendLine().AppendLine($"## Significance vs {Escape(report.Baseline.RunName)}").AppendLine();
            text.AppendLine("| metric | run | Δ mean | t | df | p | p (Holm) | significant |");
            text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var c in report.Comparisons)
            {
                text.AppendLine(Invariant(
                    $"| {c.Metric} | {Escape(c.Candidate)} | {c.Test.MeanDifference:+0.0000;-0.0000;0.0000} | {c.Test.T:F3} | {c.Test.DegreesOfFreedom} | {c.Test.PValue:G3} | {c.AdjustedPValue:G3} | {(c.Significant ? "yes" : "no")} |"));
            }
        }
        return text.ToString();
    }

    public static void Write(EvaluationReport report, string path, string title) => AtomicFile.WriteAllText(path, Render(report, title));

    private static string Label(EvaluationReport report, string run) =>
        report.Descriptions.TryGetValue(run, out var description) && description != run ? $"{run} — {description}" : run;

    private static string Escape(string text) => text.Replace("|", "\\|");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
