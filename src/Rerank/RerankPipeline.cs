// SearchRerank — MIT licence.
using System.Diagnostics;
using SearchRerank.Search;
using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// The two-stage ranker: BM25 top <see cref="FirstStageDepth"/> from a <see cref="Searcher"/>, then an
/// <see cref="IRescorer"/>, then the final ranking cut to k. Also re-ranks an existing first-stage run file.
/// Does not own the searcher or the rescorer.
/// </summary>
public sealed class RerankPipeline
{
    private readonly Searcher searcher;
    private readonly IRescorer rescorer;

    public RerankPipeline(Searcher searcher, IRescorer rescorer, int firstStageDepth = 100)
    {
        if (firstStageDepth < 1)
            throw new ArgumentOutOfRangeException(nameof(firstStageDepth), firstStageDepth, "first-stage depth must be at least 1");
        this.searcher = searcher ?? throw new ArgumentNullException(nameof(searcher));
        this.rescorer = rescorer ?? throw new ArgumentNullException(nameof(rescorer));
        FirstStageDepth = firstStageDepth;
    }

    /// <summary>How many first-stage hits are re-scored per query.</summary>
    public int FirstStageDepth { get; }

    /// <summary>Searches, re-scores the top <see cref="FirstStageDepth"/> and returns the best <paramref name="k"/>.</summary>
    public IReadOnlyList<RerankedHit> Search(string query, int k, CancellationToken cancellationToken = default)
    {
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        var firstStage = searcher.Search(query, FirstStageDepth);
        var reranked = rescorer.Rescore(query, firstStage, cancellationToken);
        return reranked.Count <= k ? reranked : reranked.Take(k).ToArray();
    }

    /// <summary>Runs <see cref="Search"/> for every query and collects the results as a run (queries in input order).</summary>
    public Run SearchAll(IEnumerable<Query> queries, int k, IProgress<RerankProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var list = queries.ToList();
        var run = new Run(ToString());
        for (var i = 0; i < list.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            var hits = Search(list[i].Text, k, cancellationToken);
            foreach (var hit in hits)
                run.Add(list[i].Id, hit.DocId, hit.Score);
            progress?.Report(new RerankProgress(i + 1, list.Count, hits.Count, Stopwatch.GetElapsedTime(started)));
        }

        return run;
    }

    /// <summary>
    /// Re-ranks the top <see cref="FirstStageDepth"/> entries of each query of <paramref name="firstStage"/>, reading
    /// document text from the index. Every query of the run needs its text in <paramref name="queries"/>, and every
    /// document must be in the index: a run from another collection is an error, not a silently shorter run.
    /// </summary>
    public Run RerankRun(Run firstStage, IEnumerable<Query> queries, IProgress<RerankProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in queries)
            text.TryAdd(q.Id, q.Text);
        var queryIds = firstStage.QueryIds.ToList();
        foreach (var qid in queryIds)
            if (!text.ContainsKey(qid))
                throw new InvalidDataException($"run '{firstStage.Name}': query '{qid}' has no text in the queries file");

        var run = new Run($"{firstStage.Name}+{rescorer}");
        for (var i = 0; i < queryIds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var qid = queryIds[i];
            var started = Stopwatch.GetTimestamp();
            var hits = firstStage.Ranked(qid).Take(FirstStageDepth).Select(entry =>
            {
                var doc = searcher.GetDocument(entry.DocId)
                          ?? throw new InvalidDataException($"run '{firstStage.Name}': document '{entry.DocId}' of query '{qid}' is not in the index");
                return new Hit(entry.DocId, entry.Score, doc.Title, doc.Text);
            }).ToArray();
            foreach (var hit in rescorer.Rescore(text[qid], hits, cancellationToken))
                run.Add(qid, hit.DocId, hit.Score);
            progress?.Report(new RerankProgress(i + 1, queryIds.Count, hits.Length, Stopwatch.GetElapsedTime(started)));
        }

        return run;
    }

    public override string ToString() => $"{searcher}>>{rescorer}@{FirstStageDepth}";
}
