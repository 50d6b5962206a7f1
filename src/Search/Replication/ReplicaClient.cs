using Lucene.Net.Replicator;

namespace SearchRerank.Search.Replication;

/// <summary>
/// Lucene's <see cref="ReplicationClient"/>, reporting a failed round (the primary unreachable, a copy cut off) instead
/// of printing it to Lucene's info stream; the thread goes on polling and the index keeps its last complete revision.
/// </summary>
internal sealed class ReplicaClient(IReplicator replicator, IReplicationHandler handler, ISourceDirectoryFactory sessions, Action<Exception> failed)
    : ReplicationClient(replicator, handler, sessions)
{
    protected override void HandleUpdateException(Exception exception) => failed(exception);
}
