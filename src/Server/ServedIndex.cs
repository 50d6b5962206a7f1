using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Search.Replication;

namespace SearchRerank.Server;

/// <summary>
/// One index the service serves, in one of three roles (<see cref="ServiceOptions"/>):
/// <list type="bullet">
/// <item>standalone: writes open the index's <see cref="Indexer"/> only for their own duration, one at a time, so an
/// offline <c>searchrerank index</c> can still write while the service is idle, and never at the same time (the
/// writer's exclusive lock answers 409);</item>
/// <item>primary (<c>--publish</c>): one writer for the service's lifetime, whose every commit is published to replicas
/// (<see cref="Publisher"/>); offline writers get the lock error while it runs;</item>
/// <item>replica (<c>--replica-of</c>): the index is Lucene's replication of the primary's (<see cref="Replica"/>), and
/// searches wait for its first complete revision.</item>
/// </list>
/// Reads go through a <see cref="Search.Searcher"/>, which sees each new commit on its next call.
/// </summary>
internal sealed class ServedIndex : IDisposable
{
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly object opening = new();
    private volatile Searcher? searcher;
    private Indexer? writer;
    private string? modelDirectory;

    private ServedIndex(string name, string path, Searcher? searcher, IndexPublisher? publisher)
    {
        Name = name;
        Path = path;
        this.searcher = searcher;
        Publisher = publisher;
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>The index's searcher; 503 on a replica that has no complete revision yet.</summary>
    public Searcher Searcher => searcher ?? throw new ApiException(StatusCodes.Status503ServiceUnavailable,
        $"index '{Name}' has no complete revision from the primary yet ({Replica?.Status.LastError ?? $"replicating from {Replica?.Source}"})");

    /// <summary>False only on a replica before its first complete revision.</summary>
    public bool HasRevision => searcher is not null;

    /// <summary>The primary's publisher of this index's commits; null unless the service publishes.</summary>
    public IndexPublisher? Publisher { get; }

    /// <summary>The replication of this index from the primary; null unless the service is a replica.</summary>
    public IndexReplica? Replica { get; private set; }

    /// <summary>
    /// How a search that re-ranks fuses on this index unless the request names an α (<see cref="FusionChoice"/>: the
    /// model's own α on the collection it was trained on, the safe off-domain α elsewhere), chosen when the service
    /// starts (on a replica, when its first revision arrives); null without a model or without fusion.json.
    /// </summary>
    public ScoreFusion? Fusion { get; private set; }

    /// <summary>Why <see cref="Fusion"/> is what it is, for the operator.</summary>
    public string? FusionReason { get; private set; }

    /// <summary>Chooses <see cref="Fusion"/> for the model in <paramref name="modelDirectory"/>.</summary>
    public void ChooseFusion(string modelDirectory)
    {
        lock (opening)
        {
            this.modelDirectory = modelDirectory;
            if (searcher is { } open)
                (Fusion, FusionReason) = FusionChoice.For(modelDirectory, CollectionFingerprint.Of(open));
        }
    }

    public static ServedIndex Open(string name, string path) => new(name, path, Searcher.Open(path), null);

    /// <summary>The primary's index: its writer is opened now and held until <see cref="Dispose"/>, its last commit published.</summary>
    /// <exception cref="IndexLockedException">Another writer holds the index.</exception>
    public static ServedIndex OpenPrimary(string name, string path)
    {
        var searcher = Searcher.Open(path);
        var publisher = new IndexPublisher();
        var served = new ServedIndex(name, path, searcher, publisher);
        try
        {
            served.writer = Indexer.Open(path, new IndexerOptions { Publisher = publisher });
            return served;
        }
        catch
        {
            served.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A replica of the primary at <paramref name="primary"/> (its base URL), polling <c>{primary}/replicate/{name}</c>
    /// every <paramref name="interval"/> into the folder <paramref name="path"/>.
    /// </summary>
    public static ServedIndex OpenReplica(string name, string path, Uri primary, TimeSpan interval, string? apiKey)
    {
        var served = new ServedIndex(name, path, null, null);
        try
        {
            var source = new Uri(primary, $"replicate/{Uri.EscapeDataString(name)}");
            served.Replica = IndexReplica.Start(path, source, interval, apiKey, served.RevisionReady);
            // A restarted replica serves what it copied before, once its first round with the primary is over.
            if (served.Replica.Status.Version is not null)
                served.RevisionReady();
            return served;
        }
        catch
        {
            served.Dispose();
            throw;
        }
    }

    /// <summary>A replica's new revision is in place: the first one opens the searcher; later ones it finds on its next call.</summary>
    private void RevisionReady()
    {
        lock (opening)
        {
            if (searcher is not null)
                return;
            searcher = Searcher.Open(Path);
            if (modelDirectory is not null)
                (Fusion, FusionReason) = FusionChoice.For(modelDirectory, CollectionFingerprint.Of(searcher));
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> with the index's writer; its commits are visible to the next search (and, on a
    /// primary, published to replicas before this returns).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Indexer, T> write, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() =>
            {
                if (Publisher is null)
                {
                    using var once = Indexer.Open(Path);
                    return write(once);
                }
                // A failed change rolls the primary's writer back and closes it; the next write opens a new one.
                if (writer is not { IsOpen: true })
                {
                    writer?.Dispose();
                    writer = Indexer.Open(Path, new IndexerOptions { Publisher = Publisher });
                }
                return write(writer);
            }, CancellationToken.None);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The stored document with <paramref name="id"/>, or null.</summary>
    public CorpusDocument? Find(string id) => Searcher.GetDocument(id);

    public void Dispose()
    {
        // The publisher's revisions go before the writer whose snapshots they hold; the replica's polling before its searcher.
        Publisher?.Dispose();
        writer?.Dispose();
        Replica?.Dispose();
        searcher?.Dispose();
        writing.Dispose();
    }
}
