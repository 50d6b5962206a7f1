namespace SearchRerank.Search.Index;

/// <summary>
/// Outcome of one <see cref="IndexWriter"/> call. Every document read is counted once: as <see cref="Added"/> (new id),
/// <see cref="Updated"/> (id already in the index before this call, now replaced) or <see cref="Duplicates"/>
/// (id seen earlier in this same call; the later one wins). <see cref="Deleted"/> counts removed ids.
/// </summary>
public sealed record ImportSummary(long Added, long Updated, long Duplicates, long Deleted, int Batches, TimeSpan Elapsed)
{
    public long Documents => Added + Updated + Duplicates;

    public double DocumentsPerSecond => Elapsed.TotalSeconds > 0 ? Documents / Elapsed.TotalSeconds : 0;
}
