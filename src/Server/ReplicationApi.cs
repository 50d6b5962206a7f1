using Lucene.Net.Replicator;
using Lucene.Net.Replicator.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SearchRerank.Server;

/// <summary>
/// On the primary (<see cref="ServiceOptions.Publish"/>), Lucene's <see cref="ReplicationService"/> in the same process
/// as the APIs: <c>GET /replicate/{index}/update?version=V</c> (a session token for the newest revision, or none),
/// <c>/obtain?sessionid&amp;source&amp;filename</c> (one file of that revision) and <c>/release?sessionid</c>, as
/// Lucene's <c>HttpReplicator</c> on a replica calls them. Reads the raw index, so it needs the API key when reads do.
/// </summary>
internal static class ReplicationApi
{
    private static readonly string[] Actions = ["update", "obtain", "release"];

    public static void Map(WebApplication app, ServiceOptions options, ServiceState state)
    {
        if (!options.Publish)
            return;
        var replicators = state.Indexes.Values.ToDictionary(i => i.Name, i => (IReplicator)i.Publisher!.Replicator, StringComparer.Ordinal);
        var service = new ReplicationService(replicators, ReplicationService.REPLICATION_CONTEXT);
        app.MapGet(ReplicationService.REPLICATION_CONTEXT + "/{index}/{action}", (string index, string action, HttpContext context) =>
        {
            state.Index(index);
            if (!Actions.Contains(action, StringComparer.OrdinalIgnoreCase))
                throw ApiException.NotFound($"no replication action '{action}'; the actions are {string.Join(", ", Actions)}");
            context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            context.Response.ContentType = "application/octet-stream";
            // Lucene's service blocks on the response stream: off the request's own thread.
            return Task.Run(() => service.Perform(new ReplicationHttpRequest(context.Request), new ReplicationHttpResponse(context)));
        }).AddEndpointFilter(new ApiKeyFilter(options, write: false)).WithName("replicate").ExcludeFromDescription();
    }
}
