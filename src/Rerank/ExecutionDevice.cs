// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>Where the cross-encoder runs. CLI spelling: <c>cpu</c>, <c>cuda</c>, <c>cuda!</c>.</summary>
public enum ExecutionDevice
{
    /// <summary>ORT's CPU execution provider.</summary>
    Cpu,

    /// <summary>CUDA when its provider library and a GPU are available; otherwise CPU, with one warning.</summary>
    Cuda,

    /// <summary>CUDA or fail: no silent fallback.</summary>
    CudaRequired,
}
