using Lucene.Net.Index;
using Lucene.Net.Replicator;

namespace SearchRerank.Search.Replication;

/// <summary>
/// Lucene's <see cref="IndexRevision"/>, except that releasing a revision whose writer is already closed is not an
/// error (Lucene.Net's AlreadyClosedException is an <see cref="ObjectDisposedException"/>). A revision outlives its writer when the service reopens the writer after a failed write or stops while a
/// replica still copies: <see cref="IndexRevision.Release"/> would then throw from inside the replicator's next
/// publish, and the next writer deletes the unreferenced files anyway.
/// </summary>
internal sealed class PublishedRevision(IndexWriter writer) : IndexRevision(writer)
{
    public override void Release()
    {
        try
        {
            base.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
