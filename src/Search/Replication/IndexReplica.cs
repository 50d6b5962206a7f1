using System.Net.Http.Headers;
using Lucene.Net.Replicator;
using SearchRerank.Search.Index;

namespace SearchRerank.Search.Replication;

/// <summary>
/// A read replica of one index of a primary (<c>serve --replica-of URL</c>): Lucene's <see cref="ReplicationClient"/>
/// polls the primary's replication endpoint (<c>URL/replicate/NAME</c>), copies the files of each newer revision into a
/// session folder, and Lucene's <see cref="IndexReplicationHandler"/> moves them into the index folder with
/// <c>segments_N</c> last and synced, so a searcher sees the old commit or the new one, never a part of one. When the
/// primary is unreachable or a copy is cut off, the index keeps its last complete revision and polling goes on.
/// <para>
/// The replica holds the folder's write lock for its lifetime (<see cref="ExclusiveLockFactory"/>): no writer, in this
/// or another process, can change a replica's index behind the replication's back.
/// </para>
/// </summary>
internal sealed class IndexReplica : IDisposable
{
    /// <summary>Where revisions are copied before they enter the index, inside the index folder (Lucene lists files only).</summary>
    public const string SessionsFolder = "replication-sessions";

    private readonly object gate = new();
    private readonly DurableDirectory directory;
    private readonly Lucene.Net.Store.Lock writeLock;
    private readonly IndexReplicationHandler handler;
    private readonly ReplicaClient client;
    private readonly PrimaryReplicator primary;
    private readonly Action revisionReady;
    private readonly string sessions;
    private ReplicaStatus status;

    private IndexReplica(string path, Uri source, TimeSpan timeout, string? apiKey, Action revisionReady)
    {
        Path = path;
        Source = source;
        this.revisionReady = revisionReady;
        IndexFolder.RequireWritable(path);
        System.IO.Directory.CreateDirectory(path);
        directory = new DurableDirectory(path);
        try
        {
            writeLock = Indexer.HoldLock(directory, path);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
        // A copy cut off by a kill leaves its session folder behind; its files never reached the index.
        sessions = System.IO.Path.Combine(path, SessionsFolder);
        if (System.IO.Directory.Exists(sessions))
            System.IO.Directory.Delete(sessions, recursive: true);
        handler = new IndexReplicationHandler(directory, Updated);
        status = new ReplicaStatus(handler.CurrentVersion, null, null, null, null, false);
        var http = new HttpClient();
        if (apiKey is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        primary = new PrimaryReplicator(source.AbsoluteUri, http, Answered, Failed) { Timeout = timeout };
        client = new ReplicaClient(primary, handler, new PerSessionDirectoryFactory(sessions), Failed);
    }

    /// <summary>The replica's index folder.</summary>
    public string Path { get; }

    /// <summary>The primary's replication URL of this index.</summary>
    public Uri Source { get; }

    public ReplicaStatus Status
    {
        get
        {
            lock (gate)
                return status;
        }
    }

    /// <summary>
    /// Starts replicating <paramref name="source"/> (the primary's <c>…/replicate/NAME</c>) into the folder
    /// <paramref name="path"/> (created when missing; empty, or an earlier copy of the same primary's index), polling
    /// every <paramref name="interval"/>; <paramref name="revisionReady"/> runs after each new revision is in place.
    /// </summary>
    /// <exception cref="IndexLockedException">A writer holds the folder.</exception>
    /// <exception cref="SearchException">The folder holds something else than a SearchRerank index.</exception>
    public static IndexReplica Start(string path, Uri source, TimeSpan interval, string? apiKey, Action revisionReady)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), $"the polling interval must be positive, got {interval}");
        // A primary that stops answering mid-copy must not hold the replica's thread for long: the next round retries.
        var replica = new IndexReplica(path, source, TimeSpan.FromSeconds(30), apiKey, revisionReady);
        replica.client.StartUpdateThread((long)interval.TotalMilliseconds, System.IO.Path.GetFileName(path));
        return replica;
    }

    private void Answered(string? primaryVersion)
    {
        lock (gate)
            status = status with
            {
                PrimaryVersion = primaryVersion,
                LastContact = DateTimeOffset.UtcNow,
                LastError = null,
                Settled = status.Settled || primaryVersion == status.Version,
            };
    }

    private void Failed(Exception error)
    {
        var reason = error.Message.Split('\n')[0].Trim();
        lock (gate)
            status = status with { LastError = $"replicating from {Source}: {reason}", Settled = true };
    }

    private void Updated()
    {
        lock (gate)
            status = status with { Version = handler.CurrentVersion, LastUpdate = DateTimeOffset.UtcNow, LastError = null, Settled = true };
        revisionReady();
    }

    /// <summary>Stops polling (waiting for a copy in progress), then releases the folder's lock.</summary>
    public void Dispose()
    {
        client.Dispose();
        primary.Dispose();
        writeLock.Dispose();
        directory.Dispose();
        if (System.IO.Directory.Exists(sessions))
            System.IO.Directory.Delete(sessions, recursive: true);
    }
}
