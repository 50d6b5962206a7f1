using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Experiments;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Experiments;
using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Reports;
using SearchRerank.Eval.Significance;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank experiment --index DIR [--corpus FILE] --queries FILE --qrels FILE --out DIR [--system NAME=SPEC …]</c>:
/// runs every system on the judged queries, writes the runs and a Markdown/HTML/JSON report comparing them with the
/// first system. With <c>--corpus</c>, a missing or empty index directory is built first.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory (built from --corpus when missing or empty)", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus file (BEIR corpus.jsonl) to build the index from when it does not exist yet" };
        var queries = new Option<string>("--queries") { Description = "Queries: BEIR queries.jsonl or TSV (qid<TAB>text)", Required = true };
        var qrels = new Option<string>("--qrels") { Description = "Qrels of the split to evaluate; only its queries are run", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory for runs/, metrics.json, report.md, report.html", Required = true };
        var systems = new Option<string[]>("--system") { Description = $"NAME=KIND[:key=value,…], repeatable; the first is the baseline. Kinds: {RetrievalSystems.Kinds}. Default: bm25=bm25", Arity = ArgumentArity.OneOrMore };
        var depth = new Option<int>("--depth") { Description = "Documents retrieved per query unless a system sets depth=", DefaultValueFactory = _ => 1000 };
        var metrics = new Option<string>("--metrics") { Description = $"Comma-separated metrics ({MetricParser.Supported})", DefaultValueFactory = _ => MetricParser.DefaultList };
        var threshold = new Option<int>("--threshold") { Description = "Minimum grade counted as relevant (trec_eval -l)", DefaultValueFactory = _ => 1 };
        var alpha = new Option<double>("--alpha") { Description = "Family-wise significance level (Holm-Bonferroni)", DefaultValueFactory = _ => RunComparison.DefaultAlpha };
        var title = new Option<string?>("--title") { Description = "Report heading (default: derived from the qrels path)" };

        var command = new Command("experiment", "Run several retrieval systems on a data set split and compare them (runs + Markdown/HTML/JSON report)")
        {
            index, corpus, queries, qrels, output, systems, depth, metrics, threshold, alpha, title,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var console = CliOutput.From(parseResult);
            var indexPath = parseResult.GetValue(index)!;
            var qrelsPath = parseResult.GetValue(qrels)!;
            var outputPath = parseResult.GetValue(output)!;
            var options = new ExperimentOptions(MetricParser.ParseList(parseResult.GetValue(metrics)!))
            {
                RelevanceThreshold = parseResult.GetValue(threshold),
                Alpha = parseResult.GetValue(alpha),
                Title = parseResult.GetValue(title) ?? $"Experiment: {ReportTitle.FromQrels(qrelsPath)}",
            };
            var specs = (parseResult.GetValue(systems) is { Length: > 0 } given ? given : ["bm25=bm25"]).Select(SystemSpec.Parse).ToArray();
            var judgments = QrelsReader.Read(qrelsPath);
            var queryList = QueryInput.Read(parseResult.GetValue(queries)!);

            var corpusPath = parseResult.GetValue(corpus);
            if (corpusPath is not null)
            {
                if (CorpusImport.IsMissingOrEmpty(indexPath))
                    BuildIndex(console, corpusPath, indexPath, cancellationToken);
                else
                    console.Info($"using the existing index {indexPath} (--corpus only builds a missing one; 'searchrerank index' updates it)");
            }

            var built = new List<IRetrievalSystem>();
            try
            {
                foreach (var spec in specs)
                    built.Add(RetrievalSystems.Create(spec, indexPath, parseResult.GetValue(depth)));
                var experiment = new Experiment(built, options);
                ExperimentResult result;
                ProgressLine? line = null;
                try
                {
                    var current = -1;
                    var progress = new DirectProgress<ExperimentProgress>(p =>
                    {
                        // Systems run one after the other: each gets its own line (and clock) when it starts.
                        if (p.SystemIndex != current)
                        {
                            line?.Complete();
                            current = p.SystemIndex;
                            line = console.Progress(built[current].Name, "queries", "queries/s");
                        }
                        line!.Update(p.QueriesDone, p.QueryCount);
                    });
                    result = experiment.Run(queryList, judgments, outputPath, progress, cancellationToken);
                }
                finally
                {
                    line?.Dispose();
                }
                EvalCommand.Print(result.Report);
                foreach (var system in built)
                {
                    var time = result.RetrievalTimes[system.Name];
                    console.Info(string.Create(CultureInfo.InvariantCulture,
                        $"{system.Name}: {system.Description}, {time.TotalSeconds:F1} s"));
                }
                foreach (var file in result.Files)
                    console.Info($"wrote {file}");
            }
            finally
            {
                foreach (var system in built)
                    (system as IDisposable)?.Dispose();
            }
            return 0;
        });
        return command;
    }

    private static void BuildIndex(CliOutput output, string corpusPath, string indexPath, CancellationToken cancellationToken)
    {
        var summary = CorpusImport.Run(output, corpusPath, indexPath, new IndexerOptions(), optimize: true, cancellationToken).Summary;
        output.Info(string.Create(CultureInfo.InvariantCulture,
            $"indexed {summary.Documents:N0} documents from {corpusPath} into {indexPath} in {summary.Elapsed.TotalSeconds:F1} s"));
    }
}
