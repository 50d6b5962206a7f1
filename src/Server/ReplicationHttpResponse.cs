using Lucene.Net.Replicator.Http.Abstractions;

namespace SearchRerank.Server;

/// <summary>
/// An ASP.NET Core response as Lucene's replication service writes it: synchronously (it was written for servlets), so
/// its endpoint alone allows synchronous IO. The service reports a failure by setting status 500; once a file's bytes
/// have started to flow the status cannot change any more, so the connection is aborted instead, and the replica's
/// client sees a cut-off transfer (and discards the session) rather than a short file taken for a whole one.
/// </summary>
internal sealed class ReplicationHttpResponse(HttpContext context) : IReplicationResponse
{
    public int StatusCode
    {
        get => context.Response.StatusCode;
        set
        {
            if (context.Response.HasStarted)
                context.Abort();
            else
                context.Response.StatusCode = value;
        }
    }

    public Stream Body => context.Response.Body;

    public void Flush() => context.Response.Body.Flush();
}
