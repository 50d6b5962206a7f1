namespace SearchRerank.Search.Index;

/// <summary>
/// Outcome of <see cref="Indexer.StoreBinaryValues"/>: documents given a new value, documents whose value was current
/// (left alone), the bytes stored, and the commits it took.
/// </summary>
internal sealed record BinaryValuesSummary(long Stored, long Current, long Bytes, int Commits, TimeSpan Elapsed);
