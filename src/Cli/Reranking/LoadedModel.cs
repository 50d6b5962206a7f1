using Microsoft.ML.OnnxRuntime;
using SearchRerank.Cli.Output;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Search;

namespace SearchRerank.Cli.Reranking;

/// <summary>A loaded cross-encoder with its fusion; collects notices and prints them outside progress bars.</summary>
internal sealed class LoadedModel(CliOutput output) : IDisposable
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
