namespace SearchRerank.Rerank;

/// <summary>Where the cross-encoder runs. CLI spelling: <c>cpu</c>, <c>cuda</c>, <c>cuda!</c>, <c>auto</c>.</summary>
public enum ExecutionDevice
{
    /// <summary>ONNX Runtime's CPU execution provider.</summary>
    Cpu,

    /// <summary>CUDA when its provider, the CUDA libraries and a GPU are available; otherwise CPU, with one warning.</summary>
    Cuda,

    /// <summary>CUDA or fail: no silent fallback.</summary>
    CudaRequired,

    /// <summary>CUDA when it loads, otherwise CPU without a warning (<see cref="CrossEncoder.ExecutionProvider"/> tells which).</summary>
    Auto,
}
