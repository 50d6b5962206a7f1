using Lucene.Net.Index;
using Lucene.Net.Replicator;

namespace SearchRerank.Search.Replication;

/// <summary>
/// The primary's side of replication: every commit of the writer opened with this publisher
/// (<see cref="Index.IndexerOptions.Publisher"/>) becomes the newest revision of Lucene's
/// <see cref="LocalReplicator"/>, which replicas poll over HTTP (Lucene's <c>ReplicationService</c>). A revision is a
/// snapshot of one commit (<see cref="IndexRevision"/> on the writer's <c>SnapshotDeletionPolicy</c>): its files stay
/// on disk while a replica is still copying them, even after later commits, and are deleted once no session needs them.
/// </summary>
internal sealed class IndexPublisher : IDisposable
{
    private readonly LocalReplicator replicator = new();

    /// <summary>What the replication endpoint serves.</summary>
    public IReplicator Replicator => replicator;

    /// <summary>The generation of the newest published commit, in the replicator's hexadecimal form; null before the first.</summary>
    public string? Version { get; private set; }

    /// <summary>Publishes the writer's last commit; a commit already published is ignored by the replicator.</summary>
    internal void Publish(IndexWriter writer)
    {
        var revision = new PublishedRevision(writer);
        replicator.Publish(revision);
        Version = revision.Version;
    }

    public void Dispose() => replicator.Dispose();
}
