using Lucene.Net.Index;
using SearchRerank.Search.Replication;

namespace SearchRerank.Search.Index;

/// <summary>
/// The Lucene writer of an <see cref="Indexer"/> and the rule every change to it follows: a change that fails, or
/// follows a failed background merge, rolls back everything since the last commit (Lucene would otherwise commit it on
/// close) and closes the writer, so the index on disk is always its last commit. An I/O error (a full disk, say) becomes
/// one <see cref="SearchException"/> naming the operation, the file and that the last commit stands.
/// Each commit records its time and is then published to replicas when the index has a publisher.
/// </summary>
internal sealed class CommitGuard(string path, DurableDirectory directory, IndexWriter writer, MergeFailures merges, IndexPublisher? publisher)
    : IDisposable
{
    private IndexWriter? writer = writer;

    public bool IsOpen => writer is not null;

    /// <summary>The open writer; after a rollback or disposal, an error that says to open a new one.</summary>
    public IndexWriter Writer => writer ?? throw new ObjectDisposedException(nameof(Indexer),
        $"the writer of {path} was rolled back after a failure or disposed; open a new one");

    /// <summary>The index as last committed, or null while it holds no document.</summary>
    public DirectoryReader? OpenCommitted()
    {
        var reader = DirectoryReader.Open(directory);
        if (reader.MaxDoc > 0)
            return reader;
        reader.Dispose();
        return null;
    }

    /// <summary>Runs <paramref name="change"/> through Lucene; on failure rolls back and closes the writer (see the class).</summary>
    public void Run(string operation, Action change)
    {
        try
        {
            merges.ThrowIfFailed(path);
            change();
        }
        catch (Exception ex) when (writer is not null)
        {
            Abandon();
            // Parallel adds report a failure of any worker inside an AggregateException.
            var io = ex as IOException ?? (ex as AggregateException)?.Flatten().InnerExceptions.OfType<IOException>().FirstOrDefault();
            if (io is not null)
                throw new SearchException($"index {path}: {operation} failed: {io.Message.Split('\n')[0].Trim()}; the index stays at its last commit", io);
            throw;
        }
    }

    /// <summary>Commits a batch of an import with how far into its file the index now is.</summary>
    public void CommitImport(ImportCheckpoint checkpoint) => Commit(data => CommitData.With(data, checkpoint));

    /// <summary>Commits documents written or deleted outside an import: a later import of any file skips none of it.</summary>
    public void CommitChange() => Commit(CommitData.WithoutImport);

    /// <summary>Commits a change that leaves every document's content as it was (a merge, stored token ids).</summary>
    public void CommitSameContent() => Commit(data => data);

    private void Commit(Func<IDictionary<string, string>, IDictionary<string, string>> commitData)
    {
        var open = Writer;
        Run("committing", () =>
        {
            open.SetCommitData(CommitData.WithCommitTime(commitData(open.CommitData), DateTimeOffset.UtcNow));
            open.Commit();
        });
        // After the commit has returned: a failure to publish is not a failure of the commit, which stands.
        publisher?.Publish(open);
    }

    /// <summary>Rolls back everything since the last commit and closes the writer; later changes fail with <see cref="Writer"/>'s error.</summary>
    public void Abandon()
    {
        if (writer is not { } failed)
            return;
        writer = null;
        try
        {
            failed.Rollback();
        }
        catch (IOException)
        {
            // The last commit is on disk whatever happens here; files a failed rollback leaves unreferenced are
            // deleted by the next writer. The error that caused the rollback is the one to report.
        }
    }

    /// <summary>Closes the writer, releasing the lock. Everything is committed already: each change commits before it returns.</summary>
    public void Dispose()
    {
        if (writer is { } open)
        {
            writer = null;
            // Pending background merges are abandoned, not waited for; their input segments stay valid.
            open.Dispose(waitForMerges: false);
        }
    }
}
