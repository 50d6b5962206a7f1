using Lucene.Net.Replicator;
using Lucene.Net.Replicator.Http;

namespace SearchRerank.Search.Replication;

/// <summary>
/// Lucene's <see cref="HttpReplicator"/> to one index of the primary, telling <see cref="IndexReplica"/> each time the
/// primary answers (and which revision it offered) or fails to: the replication client keeps both to itself.
/// </summary>
internal sealed class PrimaryReplicator(string url, HttpClient http, Action<string?> answered, Action<Exception> failed) : HttpReplicator(url, http)
{
    public override SessionToken CheckForUpdate(string currentVersion)
    {
        SessionToken? token;
        try
        {
            token = base.CheckForUpdate(currentVersion);
        }
        catch (Exception error)
        {
            failed(error);
            throw;
        }
        answered(token?.Version ?? currentVersion);
        return token!;
    }
}
