namespace SearchRerank.Search.Index;

/// <summary>
/// Options of <see cref="Indexer.Open"/>. <see cref="Analyzer"/> (a name of <see cref="Analysis.Analyzers"/>) is
/// fixed when the index is created; <see cref="K1"/> and <see cref="B"/> are the BM25 defaults recorded in the index
/// (searchers may override them). Null means "keep what the index has" (or the default for a new index: english, 0.9,
/// 0.4). Each batch of <see cref="BatchSize"/> documents is one Lucene commit.
/// </summary>
public sealed record IndexerOptions
{
    public const int DefaultBatchSize = 50_000;

    public string? Analyzer { get; init; }
    public double? K1 { get; init; }
    public double? B { get; init; }
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Publishes every commit of the writer to replicas (the primary of <c>serve --publish</c>); null publishes nothing.</summary>
    internal Replication.IndexPublisher? Publisher { get; init; }
}
