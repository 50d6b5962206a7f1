using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Server;

/// <summary>
/// One index the service serves: a <see cref="Searcher"/> for every read (it sees each new commit on the next call),
/// and writes that open the index's <see cref="Indexer"/> only for their own duration, one at a time, so an
/// offline <c>searchrerank index</c> can still write while the service is idle, and never at the same time
/// (the writer's exclusive lock answers 409).
/// </summary>
internal sealed class ServedIndex : IDisposable
{
    private readonly SemaphoreSlim writing = new(1, 1);

    private ServedIndex(string name, string path, Searcher searcher)
    {
        Name = name;
        Path = path;
        Searcher = searcher;
    }

    public string Name { get; }

    public string Path { get; }

    public Searcher Searcher { get; }

    /// <summary>
    /// How a search that re-ranks fuses on this index unless the request names an α (<see cref="FusionChoice"/>: the
    /// model's own α on the collection it was trained on, the safe off-domain α elsewhere), chosen when the service
    /// starts; null without a model or without fusion.json.
    /// </summary>
    public ScoreFusion? Fusion { get; private set; }

    /// <summary>Why <see cref="Fusion"/> is what it is, for the operator.</summary>
    public string? FusionReason { get; private set; }

    /// <summary>Chooses <see cref="Fusion"/> for the model in <paramref name="modelDirectory"/>.</summary>
    public void ChooseFusion(string modelDirectory) =>
        (Fusion, FusionReason) = FusionChoice.For(modelDirectory, CollectionFingerprint.Of(Searcher));

    public static ServedIndex Open(string name, string path) => new(name, path, Searcher.Open(path));

    /// <summary>Runs <paramref name="write"/> with the index's writer; its commits are visible to the next search.</summary>
    public async Task<T> WriteAsync<T>(Func<Indexer, T> write, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() =>
            {
                using var writer = Indexer.Open(Path);
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
        Searcher.Dispose();
        writing.Dispose();
    }
}
