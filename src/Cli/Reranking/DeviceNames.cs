using SearchRerank.Rerank;

namespace SearchRerank.Cli.Reranking;

/// <summary>The console tool's names of execution devices, shared by <c>rerank</c>, <c>search --rerank</c> and <c>serve</c>.</summary>
internal static class DeviceNames
{
    /// <summary>
    /// Parses the CLI spelling of a device: cpu, cuda (falls back to CPU with a warning), cuda! (CUDA or fail) or auto
    /// (CUDA when it loads, else CPU).
    /// </summary>
    public static ExecutionDevice Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionDevice.Cpu,
        "cuda" => ExecutionDevice.Cuda,
        "cuda!" => ExecutionDevice.CudaRequired,
        "auto" => ExecutionDevice.Auto,
        _ => throw new ArgumentException($"--device: expected cpu, cuda, cuda! or auto, got '{value}'"),
    };
}
