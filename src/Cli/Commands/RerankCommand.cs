using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SearchRerank.Cli.Output;
using SearchRerank.Cli.Reranking;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Search;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank rerank --run FILE --queries FILE --index DIR --model DIR --out FILE [--depth K] [--batch-size N]
/// [--max-length N] [--threads N] [--concurrent-batches N] [--device cpu|cuda|cuda!|auto] [--fusion-alpha A | --no-fusion] [--long-documents truncate|maxp]
/// [--stride N]</c>: re-ranks the top K of each query of a first-stage run with a cross-encoder and writes a TREC run.
/// Defaults follow how the model was trained: the max length its folder records, and its fusion.json (z-scores, its
/// α on the collection it was trained on, the off-domain α 0.7 on another one; --fusion-alpha overrides it, --no-fusion
/// scores by the raw logit). --verbose says where each setting came from.
/// </summary>
internal static class RerankCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "First-stage TREC run to re-rank", Required = true };
        var queries = new Option<string>("--queries") { Description = "Queries file (BEIR queries.jsonl or TSV qid<TAB>text)", Required = true };
        var index = new Option<string>("--index") { Description = "Index directory holding the documents of the run", Required = true };
        var outFile = new Option<string>("--out") { Description = "TREC run file to write", Required = true };
        var depth = new Option<int>("--depth") { Description = "First-stage hits re-ranked per query", DefaultValueFactory = _ => 100 };
        var model = new ModelOptions(required: true);

        var command = new Command("rerank", "Re-rank a first-stage run with a cross-encoder (ONNX Runtime) into a new TREC run")
        {
            run, queries, index, outFile, depth,
        };
        model.AddTo(command, withTuning: true);
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var firstStage = RunReader.Read(parseResult.GetValue(run)!);
            var queryList = QueryInput.Read(parseResult.GetValue(queries)!);
            using var searcher = Searcher.Open(parseResult.GetValue(index)!);
            var output = CliOutput.From(parseResult);
            using var loaded = model.Load(parseResult, output, searcher);
            var pipeline = loaded.Pipeline(searcher, parseResult.GetValue(depth));
            var outPath = parseResult.GetValue(outFile)!;

            var latencies = new List<double>();
            var pairs = 0L;
            var clock = Stopwatch.StartNew();
            Run result;
            using (var line = output.Progress("re-ranking", "queries", "queries/s"))
            {
                var progress = new DirectProgress<RerankProgress>(p =>
                {
                    latencies.Add(p.Latency.TotalMilliseconds);
                    pairs += p.Pairs;
                    line.Update(p.Completed, firstStage.QueryIds.Count,
                        string.Create(CultureInfo.InvariantCulture, $"{pairs / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} pairs/s"));
                });
                result = pipeline.RerankRun(firstStage, queryList, progress, cancellationToken);
            }
            var elapsed = clock.Elapsed;
            RunWriter.Write(result, outPath, pipeline.RescorerName);
            loaded.PrintNotices();
            output.Info(string.Create(CultureInfo.InvariantCulture,
                $"re-ranked {latencies.Count:N0} queries, {pairs:N0} pairs in {elapsed.TotalSeconds:F2} s ({pairs / Math.Max(elapsed.TotalSeconds, 1e-9):F1} pairs/s); "
                + $"per query {LatencySummary.Of(latencies, 1)}; {pipeline.RescorerName}; wrote {outPath}"));
            return 0;
        });
        return command;
    }
}
