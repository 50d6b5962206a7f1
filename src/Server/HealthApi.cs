using System.Text.Json.Serialization;
using SearchRerank.Search.Replication;

namespace SearchRerank.Server;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the indexes are open and the model loaded (200, with each
/// index's documents, commit generation and commit time), or 503 while the service drains, so a load balancer stops
/// sending. On a replica, each index also says how far behind the primary it is, and the service is not ready (503)
/// until every index has a complete revision and has finished its first round with the primary (brought up to date,
/// found up to date, or the primary unreachable: then it serves the revision it has, and says how old it is).
/// </summary>
internal static class HealthApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" })).WithName("healthz");
        app.MapGet("/readyz", (ServiceState state) =>
        {
            var now = DateTimeOffset.UtcNow;
            var indexes = state.Indexes.Values.ToDictionary(i => i.Name, i => Describe(i, now));
            var waiting = state.Indexes.Values.Any(i => !i.HasRevision || i.Replica is { Status.Settled: false });
            var status = state.Draining ? "draining" : waiting ? "catching up" : "ready";
            var role = state.Options.Publish ? "primary" : state.Options.ReplicaOf is null ? "standalone" : "replica";
            var body = new Readiness(status, role, state.Model?.Name, state.Model?.Batcher.QueuedPairs ?? 0, indexes);
            return Results.Json(body, statusCode: status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).WithName("readyz");
    }

    private static IndexReadiness Describe(ServedIndex index, DateTimeOffset now)
    {
        long? documents = null, generation = null;
        DateTimeOffset? committed = null;
        if (index.HasRevision)
        {
            using var snapshot = index.Searcher.Acquire();
            (documents, generation, committed) = (snapshot.DocumentCount, snapshot.Generation, snapshot.CommittedAt);
        }
        var replication = index.Replica?.Status is { } status ? Replication(index.Replica.Source, status, now) : null;
        return new IndexReadiness(documents, generation, committed?.UtcDateTime.ToString("O"), Seconds(now - committed), index.Publisher?.Version, replication);
    }

    private static ReplicaReadiness Replication(Uri source, ReplicaStatus status, DateTimeOffset now) => new(
        source.AbsoluteUri, status.Version, status.PrimaryVersion, status.Behind, Seconds(now - status.LastUpdate), Seconds(now - status.LastContact),
        status.LastError);

    private static double? Seconds(TimeSpan? span) => span is { } s ? Math.Round(s.TotalSeconds, 3) : null;

    private sealed record Readiness(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("model")] string? Model,
        [property: JsonPropertyName("queued_pairs")] int QueuedPairs,
        [property: JsonPropertyName("indexes")] Dictionary<string, IndexReadiness> Indexes);

    private sealed record IndexReadiness(
        [property: JsonPropertyName("documents")] long? Documents,
        [property: JsonPropertyName("generation")] long? Generation,
        [property: JsonPropertyName("committed")] string? Committed,
        [property: JsonPropertyName("commit_age_seconds")] double? CommitAgeSeconds,
        [property: JsonPropertyName("published_revision"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PublishedRevision,
        [property: JsonPropertyName("replication"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReplicaReadiness? Replication);

    private sealed record ReplicaReadiness(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("revision")] string? Revision,
        [property: JsonPropertyName("primary_revision")] string? PrimaryRevision,
        [property: JsonPropertyName("behind")] bool Behind,
        [property: JsonPropertyName("seconds_since_update")] double? SecondsSinceUpdate,
        [property: JsonPropertyName("seconds_since_contact")] double? SecondsSinceContact,
        [property: JsonPropertyName("error")] string? Error);
}
