using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Reports;
using SearchRerank.Eval.Significance;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank eval --qrels FILE --run FILE [--run FILE …]</c>: trec_eval-equal metrics for one or more runs,
/// a table with significance marks against the first run, and optionally JSON, Markdown and HTML reports.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var qrels = new Option<string>("--qrels") { Description = "Qrels file: BEIR TSV (query-id corpus-id score) or TREC (qid 0 docid grade)", Required = true };
        var runs = new Option<string[]>("--run") { Description = "TREC run file (qid Q0 docid rank score tag); repeat to compare, the first is the baseline", Required = true, Arity = ArgumentArity.OneOrMore };
        var metrics = new Option<string>("--metrics") { Description = $"Comma-separated metrics ({MetricParser.Supported})", DefaultValueFactory = _ => MetricParser.DefaultList };
        var json = new Option<string?>("--json") { Description = "Also write metrics, per-query values and significance to this JSON file" };
        var threshold = new Option<int>("--threshold") { Description = "Minimum grade counted as relevant for binary metrics (trec_eval -l)", DefaultValueFactory = _ => 1 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table and test details as Markdown to this file" };
        var html = new Option<string?>("--html") { Description = "Also write an HTML page with per-query difference charts to this file" };
        var alpha = new Option<double>("--alpha") { Description = "Family-wise significance level (Holm-Bonferroni)", DefaultValueFactory = _ => RunComparison.DefaultAlpha };

        var command = new Command("eval", "Evaluate TREC runs against qrels (trec_eval -c semantics) and test differences for significance")
        {
            qrels, runs, metrics, json, markdown, html, threshold, alpha,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var evaluator = new Evaluator(MetricParser.ParseList(parseResult.GetValue(metrics)!), parseResult.GetValue(threshold));
            var judgments = QrelsReader.Read(parseResult.GetValue(qrels)!);
            var paths = parseResult.GetValue(runs)!;
            // Runs are labelled by file name; when two share one (a/run.trec, b/run.trec) the paths as given tell them apart.
            var byFileName = paths.GroupBy(Path.GetFileName).Any(g => g.Count() > 1);
            var results = new List<EvaluationResult>();
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var run = RunReader.Read(path);
                results.Add(evaluator.Evaluate(byFileName ? run.Renamed(path) : run, judgments));
            }
            var report = EvaluationReport.Create(results, evaluator.RelevanceThreshold, parseResult.GetValue(alpha));
            Print(report);
            var title = $"Evaluation: {ReportTitle.FromQrels(parseResult.GetValue(qrels)!)}";
            var outputs = new (string? Path, Action<string> Write)[]
            {
                (parseResult.GetValue(json), path => JsonReport.Write(report, path)),
                (parseResult.GetValue(markdown), path => MarkdownReport.Write(report, path, title)),
                (parseResult.GetValue(html), path => HtmlReport.Write(report, path, title)),
            };
            foreach (var (path, write) in outputs)
            {
                if (path is null)
                    continue;
                write(path);
                CliOutput.From(parseResult).Info($"wrote {path}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The table shared with the experiment command: one row per run, ▲/▼ against the first run.</summary>
    public static void Print(EvaluationReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("run");
        foreach (var metric in report.Baseline.MetricNames)
            table.AddColumn(new TableColumn(metric).RightAligned());
        foreach (var result in report.Results)
        {
            var cells = new List<string> { Markup.Escape(result.RunName) };
            foreach (var metric in result.MetricNames)
            {
                var value = result.Mean(metric).ToString("F4", CultureInfo.InvariantCulture);
                cells.Add(report.Mark(result.RunName, metric) switch
                {
                    "▲" => $"[green]{value}▲[/]",
                    "▼" => $"[red]{value}▼[/]",
                    _ => value,
                });
            }
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{report.Baseline.QueryIds.Count} judged queries; relevant = grade ≥ {report.RelevanceThreshold}.");
        if (report.Results.Count > 1)
            AnsiConsole.WriteLine(report.Legend);
        foreach (var result in report.Results.Where(r => r.MissingQueries > 0 || r.UnjudgedQueries > 0))
        {
            AnsiConsole.MarkupLine(
                $"[yellow]note:[/] {Markup.Escape(result.RunName)}: {result.MissingQueries} judged queries without results (scored 0), {result.UnjudgedQueries} unjudged queries ignored");
        }
    }
}
