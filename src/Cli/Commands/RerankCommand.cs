using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SearchRerank.Cli.Output;
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
public static class RerankCommand
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
                + $"per query p50 {Percentiles.Nearest(latencies, 0.50):F1} ms, p99 {Percentiles.Nearest(latencies, 0.99):F1} ms; {pipeline.RescorerName}; wrote {outPath}"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>search --rerank</c>: one query prints the re-ranked table with both stage scores; a queries file is re-ranked
    /// query by query (ORT already uses every core) into a TREC run. With <paramref name="explain"/>, the explanation of
    /// that document's final score follows the table, Lucene's first-stage explanation nested inside.
    /// </summary>
    public static int SearchReranked(ParseResult parseResult, Searcher searcher, ModelOptions model, int depth,
        string? text, string? queriesPath, string? qrelsPath, int? k, string? runPath, string? explain, CancellationToken cancellationToken)
    {
        var output = CliOutput.From(parseResult);
        using var loaded = model.Load(parseResult, output, searcher);
        var pipeline = loaded.Pipeline(searcher, depth);
        if (text is not null)
        {
            var clock = Stopwatch.StartNew();
            var hits = pipeline.Search(text, k ?? 10, cancellationToken);
            var elapsed = clock.Elapsed;
            if (hits.Count == 0)
            {
                AnsiConsole.WriteLine(SearchCommand.NoResults(searcher, text));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("rank").RightAligned()).AddColumn("id").AddColumn(new TableColumn("score").RightAligned())
                .AddColumn(new TableColumn("CE").RightAligned()).AddColumn(new TableColumn("BM25").RightAligned()).AddColumn("title");
            for (var i = 0; i < hits.Count; i++)
            {
                var hit = hits[i];
                var title = DisplayText.TitleOf(hit.Title, hit.Text, 80);
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.DocId),
                    hit.Score.ToString("F4", CultureInfo.InvariantCulture), hit.CrossEncoderScore.ToString("F4", CultureInfo.InvariantCulture),
                    hit.FirstStageScore.ToString("F4", CultureInfo.InvariantCulture), Markup.Escape(title));
            }
            AnsiConsole.Write(table);
            loaded.PrintNotices();
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{hits.Count} hits, {searcher} top {depth} re-ranked by {pipeline.RescorerName}, {elapsed.TotalMilliseconds:F1} ms"));
            if (explain is not null)
                Console.Write(pipeline.Explain(text, explain)?.ToString() ?? $"document '{explain}' is not among the first-stage top {depth}\n");
            return 0;
        }

        var outPath = runPath ?? throw new ArgumentException("--queries needs --out FILE for the TREC run to write");
        var list = QueryInput.Read(queriesPath!, qrelsPath);
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        Run result;
        using (var line = output.Progress("search + re-rank", "queries", "queries/s"))
            result = pipeline.SearchAll(list, k ?? depth, new DirectProgress<RerankProgress>(p =>
            {
                latencies.Add(p.Latency.TotalMilliseconds);
                line.Update(p.Completed, list.Count);
            }), cancellationToken);
        QueryInput.WarnMissing(searcher, list, result);
        RunWriter.Write(result, outPath, pipeline.RescorerName);
        loaded.PrintNotices();
        output.Info(string.Create(CultureInfo.InvariantCulture,
            $"searched and re-ranked {list.Count:N0} queries in {total.Elapsed.TotalSeconds:F2} s; per query p50 {Percentiles.Nearest(latencies, 0.50):F1} ms, "
            + $"p99 {Percentiles.Nearest(latencies, 0.99):F1} ms; {pipeline}; wrote {outPath}"));
        return 0;
    }

    /// <summary>
    /// Parses the CLI spelling of a device: cpu, cuda (falls back to CPU with a warning), cuda! (CUDA or fail) or auto
    /// (CUDA when it loads, else CPU).
    /// </summary>
    public static ExecutionDevice ParseDevice(string value) => value.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionDevice.Cpu,
        "cuda" => ExecutionDevice.Cuda,
        "cuda!" => ExecutionDevice.CudaRequired,
        "auto" => ExecutionDevice.Auto,
        _ => throw new ArgumentException($"--device: expected cpu, cuda, cuda! or auto, got '{value}'"),
    };

    /// <summary>
    /// The cross-encoder options shared by <c>rerank</c> and <c>search --rerank</c>, and the loading of the model and
    /// fusion they describe.
    /// </summary>
    public sealed class ModelOptions(bool required)
    {
        private bool tuning;

        public Option<string> Model { get; } = new("--model") { Description = "Cross-encoder directory (config.json, vocab.txt/tokenizer.json, model.onnx or onnx/model.onnx)", Required = required };
        public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda (CPU fallback with a warning), cuda! (fail without CUDA) or auto (CUDA when it loads)", DefaultValueFactory = _ => "cpu" };
        public Option<double?> FusionAlpha { get; } = new("--fusion-alpha") { Description = "Fuse α·z(BM25) + (1−α)·z(CE) (default: α of the model's fusion.json on the collection it was trained on, 0.7 on another one, no fusion without fusion.json)" };
        public Option<bool> NoFusion { get; } = new("--no-fusion") { Description = "Score by the raw logit even when the model has fusion.json" };
        public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Pairs per ONNX Runtime run", DefaultValueFactory = _ => 32 };
        public Option<int?> MaxLength { get; } = new("--max-length") { Description = $"Tokens per pair (default: what the model folder records in tokenizer_config.json model_max_length, as the trainer writes it; else {CrossEncoderOptions.DefaultMaxLength})" };
        public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads per batch (0 = one per core)", DefaultValueFactory = _ => 0 };
        public Option<int> ConcurrentBatches { get; } = new("--concurrent-batches") { Description = "Batches scored at once (with --threads 1, 2 on two cores is fastest)", DefaultValueFactory = _ => 1 };
        public Option<string> LongDocuments { get; } = new("--long-documents") { Description = "truncate, or maxp (best of overlapping windows)", DefaultValueFactory = _ => "truncate" };
        public Option<int> Stride { get; } = new("--stride") { Description = "With maxp: tokens between window starts", DefaultValueFactory = _ => 128 };
        /// <summary>Adds the options; without tuning only --model, --fusion-alpha, --no-fusion and --device.</summary>
        public void AddTo(Command command, bool withTuning)
        {
            tuning = withTuning;
            command.Options.Add(Model);
            command.Options.Add(FusionAlpha);
            command.Options.Add(NoFusion);
            command.Options.Add(Device);
            if (!withTuning)
                return;
            foreach (var option in new Option[] { BatchSize, MaxLength, Threads, ConcurrentBatches, LongDocuments, Stride })
                command.Options.Add(option);
        }

        /// <summary>
        /// Loads the model named by the parsed options, with its fusion for re-ranking <paramref name="searcher"/>'s
        /// collection (<see cref="FusionChoice"/>: off-domain α on a collection the model was not trained on); notes where
        /// each default came from.
        /// </summary>
        public LoadedModel Load(ParseResult parseResult, CliOutput output, Searcher searcher)
        {
            var modelDir = parseResult.GetValue(Model) ?? throw new ArgumentException("--model DIR is required");
            var loaded = new LoadedModel(output);
            var defaults = new CrossEncoderOptions { Device = ParseDevice(parseResult.GetValue(Device)!), Notices = new DirectProgress<CrossEncoderNotice>(loaded.Notice) };
            var options = !tuning ? defaults : defaults with
            {
                BatchSize = parseResult.GetValue(BatchSize),
                MaxLength = parseResult.GetValue(MaxLength),
                Threads = parseResult.GetValue(Threads),
                ConcurrentBatches = parseResult.GetValue(ConcurrentBatches),
                LongDocuments = parseResult.GetValue(LongDocuments)!.Trim().ToLowerInvariant() switch
                {
                    "truncate" => LongDocumentStrategy.Truncate,
                    "maxp" => LongDocumentStrategy.MaxWindow,
                    var other => throw new ArgumentException($"--long-documents: expected truncate or maxp, got '{other}'"),
                },
                WindowStride = parseResult.GetValue(Stride),
            };
            OnnxRuntimeEnvironment.Logged += loaded.OrtMessage;
            try
            {
                var (chosen, reason) = FusionChoice.For(modelDir, CollectionFingerprint.Of(searcher));
                loaded.Fusion = parseResult.GetValue(NoFusion) ? null
                    : parseResult.GetValue(FusionAlpha) is { } alpha ? new ScoreFusion(alpha)
                    : chosen;
                output.Note(loaded.Fusion == chosen ? reason
                    : $"fusion {loaded.Fusion?.ToString() ?? "off (raw logits)"} as asked, not the default ({reason})");
                loaded.Encoder = CrossEncoder.Load(modelDir, options);
                return loaded;
            }
            catch
            {
                loaded.Dispose();
                throw;
            }
        }
    }

    /// <summary>A loaded cross-encoder with its fusion; collects notices and prints them outside progress bars.</summary>
    public sealed class LoadedModel(CliOutput output) : IDisposable
    {
        private readonly object gate = new();
        private readonly List<string> truncations = [];

        public CrossEncoder? Encoder { get; set; }

        public ScoreFusion? Fusion { get; set; }

        /// <summary>The two-stage ranker of <paramref name="searcher"/>'s top <paramref name="depth"/> and this model.</summary>
        public RerankPipeline Pipeline(Searcher searcher, int depth) => new(searcher, Encoder!, Fusion, depth);

        internal void Notice(CrossEncoderNotice notice)
        {
            switch (notice.Kind)
            {
                case CrossEncoderNoticeKind.DeviceFallback:
                    CliOutput.Warning(notice.Message);
                    break;
                case CrossEncoderNoticeKind.ExecutionProvider or CrossEncoderNoticeKind.Setting or CrossEncoderNoticeKind.Model:
                    output.Note(notice.Message);
                    break;
                case CrossEncoderNoticeKind.Truncation when output.IsVerbose:
                    lock (gate)
                        truncations.Add(notice.Message);
                    break;
            }
        }

        internal void OrtMessage(OrtLoggingLevel level, string message)
        {
            // Failures also surface as exceptions or notices (the CUDA fallback logs an error first), so ORT's own
            // lines are shown only on request.
            output.Note($"onnxruntime {Severity(level)}: {message}");
        }

        private static string Severity(OrtLoggingLevel level) => level switch
        {
            OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => "verbose",
            OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => "info",
            OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => "warning",
            OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => "error",
            _ => "fatal",
        };

        /// <summary>Prints what was collected while a progress bar owned the console.</summary>
        public void PrintNotices()
        {
            lock (gate)
            {
                if (truncations.Count == 0)
                    return;
                output.Note($"truncation: {truncations.Count} scoring calls had pairs longer than the maximum length, e.g. {truncations[0]}");
            }
        }

        public void Dispose()
        {
            OnnxRuntimeEnvironment.Logged -= OrtMessage;
            Encoder?.Dispose();
        }
    }
}
