namespace SearchRerank.Search.Index;

/// <summary>
/// Outcome of one <see cref="Indexer"/> call. Every document read is counted once: as <see cref="Added"/> (new id),
/// <see cref="Updated"/> (id already in the index before this call, now replaced), <see cref="Duplicates"/>
/// (id seen earlier in this same call; the later one wins) or <see cref="Resumed"/> (committed by an earlier,
/// interrupted import of the same file, so skipped). <see cref="Deleted"/> counts removed ids. Each of the
/// <see cref="Batches"/> was one commit.
/// </summary>
public sealed record ImportSummary(long Added, long Updated, long Duplicates, long Deleted, int Batches, TimeSpan Elapsed)
{
    public long Resumed { get; init; }

    /// <summary>
    /// The last commit already held this file's finished import, unchanged since, so nothing was read or written
    /// (e.g. a re-run after a crash during the merge that follows an import).
    /// </summary>
    public bool AlreadyImported { get; init; }

    /// <summary>Documents written by this call (resumed ones not included).</summary>
    public long Documents => Added + Updated + Duplicates;

    public double DocumentsPerSecond => Elapsed.TotalSeconds > 0 ? Documents / Elapsed.TotalSeconds : 0;
}
