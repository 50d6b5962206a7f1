// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>A float model output copied into managed memory, row-major.</summary>
public sealed record FloatTensor(float[] Data, long[] Shape);
