using Lucene.Net.Index;

namespace SearchRerank.Search.Index;

/// <summary>
/// Lucene's concurrent merge scheduler, except that a failed background merge (a full disk, say) is recorded instead
/// of being rethrown on the merge thread, where it would end the process with a stack trace. The writer reports it at
/// its next commit or when it closes (<see cref="ThrowIfFailed"/>); the failed merge itself changed nothing, since a
/// merge only becomes part of the index through a commit.
/// </summary>
internal sealed class MergeFailures : ConcurrentMergeScheduler
{
    private Exception? first;

    protected override void HandleMergeException(Exception exc)
    {
        Interlocked.CompareExchange(ref first, exc, null);
    }

    /// <exception cref="SearchException">A background merge failed; the message names the folder and the cause.</exception>
    public void ThrowIfFailed(string indexPath)
    {
        if (Volatile.Read(ref first) is { } failure)
        {
            var cause = failure is MergePolicy.MergeException { InnerException: { } inner } ? inner : failure;
            throw new SearchException($"index {indexPath}: merging segments in the background failed ({cause.Message.Split('\n')[0].Trim()}); "
                                      + "the index stays at its last commit", failure);
        }
    }
}
