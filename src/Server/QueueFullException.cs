namespace SearchRerank.Server;

/// <summary>The re-rank queue holds as many pairs as it may; the client should retry after a moment (HTTP 429).</summary>
internal sealed class QueueFullException(int queued, int limit)
    : Exception($"the re-rank queue is full ({queued:N0} pairs waiting, at most {limit:N0}); retry shortly")
{
}
