using System.Text.Json.Serialization;
using Lucene.Net.Index;

namespace SearchRerank.Server;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the indexes are open and the model loaded (200, with each
/// index's documents and commit generation), or 503 while the service drains, so a load balancer stops sending.
/// </summary>
internal static class HealthApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" })).WithName("healthz");
        app.MapGet("/readyz", (ServiceState state) =>
        {
            var indexes = state.Indexes.Values.ToDictionary(i => i.Name, i =>
            {
                using var snapshot = i.Searcher.Acquire();
                return new IndexReadiness(snapshot.DocumentCount, ((DirectoryReader)snapshot.IndexSearcher.IndexReader).IndexCommit.Generation);
            });
            var body = new Readiness(state.Draining ? "draining" : "ready", state.Model?.Name, state.Model?.Batcher.QueuedPairs ?? 0, indexes);
            return Results.Json(body, statusCode: state.Draining ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).WithName("readyz");
    }

    private sealed record Readiness(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("model")] string? Model,
        [property: JsonPropertyName("queued_pairs")] int QueuedPairs,
        [property: JsonPropertyName("indexes")] Dictionary<string, IndexReadiness> Indexes);

    private sealed record IndexReadiness(
        [property: JsonPropertyName("documents")] long Documents,
        [property: JsonPropertyName("generation")] long Generation);
}
