using Lucene.Net.Replicator.Http.Abstractions;

namespace SearchRerank.Server;

/// <summary>An ASP.NET Core request as Lucene's replication service reads it: the path and single-valued query parameters.</summary>
internal sealed class ReplicationHttpRequest(HttpRequest request) : IReplicationRequest
{
    public string Path => request.Path.Value ?? "";

    public string? QueryParam(string name) => request.Query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
