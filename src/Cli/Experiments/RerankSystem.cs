using System.Globalization;
using SearchRerank.Core;
using SearchRerank.Eval.Experiments;
using SearchRerank.Rerank;
using SearchRerank.Search;

namespace SearchRerank.Cli.Experiments;

/// <summary>
/// BM25 top-<see cref="Depth"/> re-ranked by a cross-encoder, as an experiment system: the list evaluated is the
/// re-ranked top-<see cref="Depth"/> (the paper's setting: re-rank BM25 top-100, measure R@100 on the same list).
/// Owns its searcher and model.
/// </summary>
public sealed class RerankSystem : IRetrievalSystem, IDisposable
{
    private readonly Searcher searcher;
    private readonly CrossEncoder encoder;
    private readonly RerankPipeline pipeline;

    public RerankSystem(string name, string indexDirectory, SearchOptions firstStage, string modelDirectory,
        CrossEncoderOptions options, ScoreFusion? fusion, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        Name = name;
        Depth = depth;
        searcher = Searcher.Open(indexDirectory, firstStage);
        try
        {
            encoder = CrossEncoder.Load(modelDirectory, options);
            pipeline = new RerankPipeline(searcher, encoder, fusion, depth);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int Depth { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"{pipeline} top-{Depth}");

    public Run Retrieve(IReadOnlyList<Topic> queries, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var reranked = pipeline.SearchAll(queries, Depth, progress is null ? null : new Completed(progress), cancellationToken);
        var run = new Run(Name);
        foreach (var queryId in reranked.QueryIds)
        {
            foreach (var entry in reranked.Ranked(queryId))
                run.Add(queryId, entry.DocId, entry.Score);
        }
        return run;
    }

    public void Dispose()
    {
        encoder?.Dispose();
        searcher?.Dispose();
    }

    private sealed class Completed(IProgress<int> progress) : IProgress<RerankProgress>
    {
        public void Report(RerankProgress value) => progress.Report(value.Completed);
    }
}
