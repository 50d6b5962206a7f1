using System.Globalization;
using System.Net;
using System.Text;
using SearchRerank.Core;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Reports;

/// <summary>
/// A self-contained HTML page (no scripts, no external assets): the metrics table with significance marks and,
/// for each run other than the baseline, an inline SVG bar chart of its per-query difference from the baseline on
/// the first metric, sorted from largest gain to largest loss — the usual way to see whether a mean improvement
/// comes from many queries or a few. Hovering a bar shows the query id and the difference. Column headings show the
/// trec_eval name and the usual label (<c>ndcg_cut_10</c>, nDCG@10).
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 960;
    private const int ChartHeight = 320;
    private const int AxisMargin = 72;
    private const int VerticalMargin = 16;
    private const int BottomMargin = 40;

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
            html.Append($"<th>{Encode(MetricLabel.For(metric))}<br><small>{Encode(metric)}</small></th>");
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
            html.AppendLine($"<h2>Per-query {Encode(MetricLabel.For(primary))}: {Encode(result.RunName)} − {Encode(report.Baseline.RunName)}</h2>");
            html.AppendLine(Chart(report.Baseline, result, primary));
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    public static void Write(EvaluationReport report, string path, string title) => AtomicFile.WriteAllText(path, Render(report, title));

    /// <summary>
    /// Sorted bar chart of candidate − baseline per query: y is the difference in metric points (symmetric around 0,
    /// gridlines at halves), x the queries ordered from largest gain to largest loss, a dashed line marks the mean.
    /// </summary>
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
        var mean = differences.Length == 0 ? 0 : differences.Average(d => d.Delta);
        var extent = NiceCeiling(differences.Length == 0 ? 0 : differences.Max(d => Math.Abs(d.Delta)));

        const double left = AxisMargin, right = ChartWidth - 12.0, top = VerticalMargin, bottom = ChartHeight - BottomMargin;
        var plotWidth = right - left;
        var half = (bottom - top) / 2;
        var zero = top + half;
        var barWidth = differences.Length == 0 ? 0 : plotWidth / differences.Length;
        double Y(double value) => zero - value / extent * half;
        var label = MetricLabel.For(metric);

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" role=\"img\" aria-label=\"per-query {Encode(label)} differences\" font-family=\"sans-serif\">"));
        foreach (var tick in new[] { extent, extent / 2, 0, -extent / 2, -extent })
        {
            var y = Y(tick);
            svg.AppendLine(Invariant($"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{right}\" y2=\"{y:F1}\" stroke=\"{(tick == 0 ? "#444" : "#e0e0e0")}\"/>"));
            svg.AppendLine(Invariant($"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" font-size=\"12\" text-anchor=\"end\">{tick:+0.0##;−0.0##;0}</text>"));
        }
        svg.AppendLine(Invariant($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"#888\"/>"));
        for (var i = 0; i < differences.Length; i++)
        {
            var (query, delta) = differences[i];
            if (delta == 0)
                continue;
            var height = Math.Abs(delta) / extent * half;
            var y = delta > 0 ? zero - height : zero;
            var color = delta > 0 ? "#2e7d32" : "#c62828";
            svg.AppendLine(Invariant(
                $"<rect x=\"{left + i * barWidth:F2}\" y=\"{y:F2}\" width=\"{Math.Max(barWidth, 0.5):F2}\" height=\"{height:F2}\" fill=\"{color}\"><title>{Encode(query)}: {delta:+0.0000;−0.0000}</title></rect>"));
        }
        svg.AppendLine(Invariant($"<line x1=\"{left}\" y1=\"{Y(mean):F1}\" x2=\"{right}\" y2=\"{Y(mean):F1}\" stroke=\"#1565c0\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"));
        svg.AppendLine(Invariant($"<text x=\"{right - 4}\" y=\"{Y(mean) - 5:F1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1565c0\">mean {mean:+0.0000;−0.0000;0}</text>"));
        // Axis titles say what a bar is and in which unit, so the chart reads without the surrounding text.
        svg.AppendLine(Invariant($"<text x=\"16\" y=\"{zero:F1}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 {zero:F1})\">Δ {Encode(label)} (run − baseline)</text>"));
        svg.AppendLine(Invariant($"<text x=\"{left + plotWidth / 2:F1}\" y=\"{ChartHeight - 10}\" font-size=\"13\" text-anchor=\"middle\">{differences.Length} queries, sorted by difference: {wins} better (green), {losses} worse (red), {differences.Length - wins - losses} unchanged</text>"));
        svg.AppendLine("</svg>");
        svg.AppendLine(Invariant($"<p>{wins} queries better, {losses} worse, {differences.Length - wins - losses} unchanged; mean difference {mean:+0.0000;−0.0000;0} {Encode(label)}.</p>"));
        return svg.ToString();
    }

    /// <summary>The axis extent: the largest difference rounded up to 1, 2, 2.5 or 5 × 10^k, so ticks read as round numbers.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
            return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            if (step * power >= value * (1 - 1e-12))
                return step * power;
        return 10 * power;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
