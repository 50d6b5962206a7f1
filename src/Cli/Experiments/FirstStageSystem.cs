using System.Globalization;
using SearchRerank.Core;
using SearchRerank.Eval.Experiments;
using SearchRerank.Search;

namespace SearchRerank.Cli.Experiments;

/// <summary>
/// The first stage as an experiment system: <see cref="Searcher.SearchAll"/> over all queries with one set of
/// <see cref="SearchOptions"/> (BM25 or another similarity), top <see cref="Depth"/> per query. Owns its <see cref="Searcher"/>.
/// </summary>
public sealed class FirstStageSystem : IRetrievalSystem, IDisposable
{
    private readonly Searcher searcher;

    public FirstStageSystem(string name, string indexDirectory, SearchOptions options, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        Name = name;
        Depth = depth;
        searcher = Searcher.Open(indexDirectory, options with { IncludeContent = false });
    }

    public string Name { get; }

    public int Depth { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"{searcher} top-{Depth}");

    public Run Retrieve(IReadOnlyList<Topic> queries, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var searched = searcher.SearchAll(queries, Depth,
            progress is null ? null : new Completed(progress), cancellationToken: cancellationToken);
        // The searcher names its run after the ranking; the experiment identifies runs by system name.
        var run = new Run(Name);
        foreach (var queryId in searched.QueryIds)
        {
            foreach (var entry in searched.Ranked(queryId))
                run.Add(queryId, entry.DocId, entry.Score);
        }
        return run;
    }

    public void Dispose() => searcher.Dispose();

    private sealed class Completed(IProgress<int> progress) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => progress.Report(value.Completed);
    }
}
