using System.Globalization;
using System.Net;
using System.Text;
using SearchRerank.Core;

namespace SearchRerank.Evaluation.Reports;

/// <summary>
/// A self-contained HTML page (no scripts, no external assets): the metrics table with significance marks and,
/// for each run other than the baseline, an inline SVG bar chart of its per-query difference from the baseline on
/// the first metric, sorted from largest gain to largest loss — the usual way to see whether a mean improvement
/// comes from many queries or a few. Hovering a bar shows the query id and the difference.
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 960;
    private const int ChartHeight = 260;
    private const int AxisMargin = 56;
    private const int VerticalMargin = 16;

    public static string Render(EvaluationReport report, string title)
    {
        var html = new StringBuilder();
        var metrics = report.Baseline.MetricNames;
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Encode(title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}" +
                        "th,td{border:1px solid #ccc;padding:4px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
                        ".up{color:#2e7d32}.down{color:#c62828}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>{Encode(title)}</h1>");
        html.AppendLine(Invariant($"<p>{report.Baseline.QueryIds.Count} queries; relevant = grade ≥ {report.RelevanceThreshold}; queries without results score 0 (trec_eval -c).</p>"));

        html.Append("<table><thead><tr><th>run</th>");
        foreach (var metric in metrics)
            html.Append($"<th>{Encode(metric)}</th>");
        html.AppendLine("</tr></thead><tbody>");
        foreach (var result in report.Results)
        {
            var label = report.Descriptions.TryGetValue(result.RunName, out var description) && description != result.RunName
                ? $"{result.RunName} — {description}"
                : result.RunName;
            html.Append($"<tr><td>{Encode(label)}</td>");
            foreach (var metric in metrics)
            {
                var mark = report.Mark(result.RunName, metric);
                var css = mark == "▲" ? " up" : mark == "▼" ? " down" : "";
                html.Append(Invariant($"<td class=\"num{css}\">{result.Mean(metric):F4}{mark}</td>"));
            }
            html.AppendLine("</tr>");
        }
        html.AppendLine("</tbody></table>");
        html.AppendLine($"<p>{Encode(report.Legend)}</p>");
        if (report.Notes.Count > 0)
            html.AppendLine($"<ul>{string.Concat(report.Notes.Select(note => $"<li>{Encode(note)}</li>"))}</ul>");

        var primary = metrics[0];
        foreach (var result in report.Results.Skip(1))
        {
            html.AppendLine($"<h2>{Encode(result.RunName)} − {Encode(report.Baseline.RunName)}: per-query {Encode(primary)}</h2>");
            html.AppendLine(Chart(report.Baseline, result, primary));
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    public static void Write(EvaluationReport report, string path, string title) => AtomicFile.WriteAllText(path, Render(report, title));

    /// <summary>Sorted bar chart of candidate − baseline per query; the y axis is symmetric around 0.</summary>
    private static string Chart(EvaluationResult baseline, EvaluationResult candidate, string metric)
    {
        var before = baseline.PerQuery(metric);
        var after = candidate.PerQuery(metric);
        var differences = Enumerable.Range(0, before.Count)
            .Select(q => (Query: baseline.QueryIds[q], Delta: after[q] - before[q]))
            .OrderByDescending(d => d.Delta)
            .ThenBy(d => d.Query, StringComparer.Ordinal)
            .ToArray();
        var wins = differences.Count(d => d.Delta > 0);
        var losses = differences.Count(d => d.Delta < 0);
        var extent = differences.Length == 0 ? 0 : differences.Max(d => Math.Abs(d.Delta));
        if (extent == 0)
            extent = 1;

        var plotWidth = ChartWidth - AxisMargin - 8.0;
        var half = (ChartHeight - 2.0 * VerticalMargin) / 2;
        var zero = VerticalMargin + half;
        var barWidth = differences.Length == 0 ? 0 : plotWidth / differences.Length;

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" role=\"img\" aria-label=\"per-query differences\">"));
        svg.AppendLine(Invariant($"<line x1=\"{AxisMargin}\" y1=\"{VerticalMargin}\" x2=\"{AxisMargin}\" y2=\"{ChartHeight - VerticalMargin}\" stroke=\"#888\"/>"));
        foreach (var (value, y) in new[] { (extent, VerticalMargin + 0.0), (0.0, zero), (-extent, ChartHeight - VerticalMargin + 0.0) })
            svg.AppendLine(Invariant($"<text x=\"{AxisMargin - 4}\" y=\"{y + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{value:+0.00;-0.00;0}</text>"));
        for (var i = 0; i < differences.Length; i++)
        {
            var (query, delta) = differences[i];
            if (delta == 0)
                continue;
            var height = Math.Abs(delta) / extent * half;
            var y = delta > 0 ? zero - height : zero;
            var color = delta > 0 ? "#2e7d32" : "#c62828";
            svg.AppendLine(Invariant(
                $"<rect x=\"{AxisMargin + i * barWidth:F2}\" y=\"{y:F2}\" width=\"{Math.Max(barWidth, 0.5):F2}\" height=\"{height:F2}\" fill=\"{color}\"><title>{Encode(query)}: {delta:+0.0000;-0.0000}</title></rect>"));
        }
        svg.AppendLine(Invariant($"<line x1=\"{AxisMargin}\" y1=\"{zero:F1}\" x2=\"{ChartWidth - 8}\" y2=\"{zero:F1}\" stroke=\"#444\"/>"));
        svg.AppendLine("</svg>");
        svg.AppendLine(Invariant($"<p>{wins} queries better, {losses} worse, {differences.Length - wins - losses} unchanged.</p>"));
        return svg.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
