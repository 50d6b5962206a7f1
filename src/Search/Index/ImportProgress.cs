namespace SearchRerank.Search.Index;

/// <summary>
/// Reported while an import runs: every <see cref="IndexWriter.ProgressInterval"/> documents added (from the indexing
/// threads, so a handler must be thread-safe) and after each commit. <see cref="Documents"/> counts what was added so
/// far, the batch in flight included; <see cref="Committed"/> what is durable; <see cref="Batches"/> the commits made.
/// </summary>
public sealed record ImportProgress(long Documents, long Committed, int Batches, double DocumentsPerSecond);
