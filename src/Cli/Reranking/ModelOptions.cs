using System.CommandLine;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Search;

namespace SearchRerank.Cli.Reranking;

/// <summary>
/// The cross-encoder options shared by <c>rerank</c> and <c>search --rerank</c>, and the loading of the model and
/// fusion they describe.
/// </summary>
internal sealed class ModelOptions(bool required)
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
        var defaults = new CrossEncoderOptions { Device = DeviceNames.Parse(parseResult.GetValue(Device)!), Notices = new DirectProgress<CrossEncoderNotice>(loaded.Notice) };
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
