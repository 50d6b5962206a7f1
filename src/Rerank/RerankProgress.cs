namespace SearchRerank.Rerank;

/// <summary>Reported by <see cref="RerankPipeline"/> after each query: queries done, total, and that query's re-rank latency.</summary>
public sealed record RerankProgress(int Completed, int Total, int Pairs, TimeSpan Latency);
