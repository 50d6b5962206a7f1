namespace SearchRerank.Search.Index;

/// <summary>
/// Reported while an import runs: every <see cref="Indexer.ProgressInterval"/> documents added (from the indexing
/// threads, so a handler must be thread-safe) and after each commit. <see cref="Documents"/> counts what was added so
/// far, the batch in flight included; <see cref="Committed"/> what is durable; <see cref="Batches"/> the commits made;
/// <see cref="Resumed"/> the documents of the file that an interrupted earlier import committed and this one skips, so
/// that <c>Resumed + Documents</c> is the position in the file.
/// </summary>
public sealed record ImportProgress(long Documents, long Committed, int Batches, double DocumentsPerSecond, long Resumed = 0);
