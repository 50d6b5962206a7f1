using System.Diagnostics;
using Lucene.Net.Search;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank;

/// <summary>
/// The two-stage ranker over a SearchRerank index: the first stage's top <see cref="FirstStageDepth"/> from a
/// <see cref="Searcher"/>, re-scored by a <see cref="CrossEncoderRescorer"/> on the same commit, then cut to k in
/// trec_eval order (<see cref="RerankedHit.TrecOrder"/>). Pre-tokenized documents (<see cref="IndexSchema.WordPieceIds"/>)
/// are used where the index holds them for the encoder's tokenizer. Also re-ranks the run of another system, reading
/// the documents from the index. Does not own the searcher or the encoder.
/// </summary>
public sealed class RerankPipeline
{
    private readonly Searcher searcher;
    private readonly CrossEncoder encoder;

    public RerankPipeline(Searcher searcher, CrossEncoder encoder, ScoreFusion? fusion = null, int firstStageDepth = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstStageDepth, 1);
        this.searcher = searcher ?? throw new ArgumentNullException(nameof(searcher));
        this.encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        FirstStageDepth = firstStageDepth;
        RescorerOptions = new CrossEncoderRescorerOptions { Fusion = fusion, PretokenizedField = IndexSchema.WordPieceIds };
    }

    /// <summary>How many first-stage hits are re-scored per query.</summary>
    public int FirstStageDepth { get; }

    /// <summary>The options every query's rescorer gets.</summary>
    public CrossEncoderRescorerOptions RescorerOptions { get; }

    /// <summary>The rescorer's run tag, e.g. <c>CE(256)+zfusion(alpha=0.3)</c>.</summary>
    public string RescorerName => CrossEncoderRescorer.Describe(encoder, RescorerOptions.Fusion);

    /// <summary>Searches, re-scores the top <see cref="FirstStageDepth"/> and returns the best <paramref name="k"/> with their text.</summary>
    public IReadOnlyList<RerankedHit> Search(string query, int k, CancellationToken cancellationToken = default) =>
        Search(query, k, includeContent: true, cancellationToken);

    private IReadOnlyList<RerankedHit> Search(string query, int k, bool includeContent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var parsed = searcher.ParseQuery(query);
        if (parsed is null)
            return [];
        using var snapshot = searcher.Acquire();
        var reranked = Rerank(snapshot, query, snapshot.Search(parsed, FirstStageDepth), includeContent);
        return reranked.Length <= k ? reranked : reranked[..k];
    }

    /// <summary>
    /// How document <paramref name="docId"/>'s final score for <paramref name="query"/> is made: the rescorer's
    /// explanation with Lucene's first-stage explanation inside. Null when the document is not among the candidates.
    /// </summary>
    public Explanation? Explain(string query, string docId)
    {
        var parsed = searcher.ParseQuery(query);
        if (parsed is null)
            return null;
        using var snapshot = searcher.Acquire();
        var doc = snapshot.Find(docId);
        var top = snapshot.Search(parsed, FirstStageDepth);
        if (doc < 0 || top.ScoreDocs.All(d => d.Doc != doc))
            return null;
        var rescorer = new CrossEncoderRescorer(encoder, query, RescorerOptions);
        rescorer.Rescore(snapshot.IndexSearcher, top, top.ScoreDocs.Length);
        return rescorer.Explain(snapshot.IndexSearcher, snapshot.Explain(parsed, doc), doc);
    }

    /// <summary>Runs <see cref="Search(string, int, CancellationToken)"/> for every query and collects the results as a run (queries in input order).</summary>
    public Run SearchAll(IEnumerable<Core.Topic> queries, int k, IProgress<RerankProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var list = queries.ToList();
        var run = new Run(ToString());
        for (var i = 0; i < list.Count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var hits = Search(list[i].Text, k, includeContent: false, cancellationToken);
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
    public Run RerankRun(Run firstStage, IEnumerable<Core.Topic> queries, IProgress<RerankProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in queries)
            text.TryAdd(q.Id, q.Text);
        var queryIds = firstStage.QueryIds.ToList();
        foreach (var qid in queryIds)
            if (!text.ContainsKey(qid))
                throw new InvalidDataException($"run '{firstStage.Name}': query '{qid}' has no text in the queries file");

        var run = new Run($"{firstStage.Name}+{RescorerName}");
        using var snapshot = searcher.Acquire();
        for (var i = 0; i < queryIds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var qid = queryIds[i];
            var started = Stopwatch.GetTimestamp();
            var candidates = firstStage.Ranked(qid).Take(FirstStageDepth).Select(entry =>
            {
                var doc = snapshot.Find(entry.DocId);
                return doc >= 0
                    ? new ScoreDoc(doc, (float)entry.Score)
                    : throw new InvalidDataException($"run '{firstStage.Name}': document '{entry.DocId}' of query '{qid}' is not in the index");
            }).ToArray();
            var first = new TopDocs(candidates.Length, candidates, candidates.Length > 0 ? candidates.Max(c => c.Score) : float.NaN);
            foreach (var hit in Rerank(snapshot, text[qid], first, includeContent: false))
                run.Add(qid, hit.DocId, hit.Score);
            progress?.Report(new RerankProgress(i + 1, queryIds.Count, candidates.Length, Stopwatch.GetElapsedTime(started)));
        }
        return run;
    }

    private RerankedHit[] Rerank(SearchSnapshot snapshot, string query, TopDocs firstStage, bool includeContent)
    {
        var rescorer = new CrossEncoderRescorer(encoder, query, RescorerOptions);
        var rescored = rescorer.Rescore(snapshot.IndexSearcher, firstStage, firstStage.ScoreDocs.Length).ScoreDocs;
        var hits = new RerankedHit[rescored.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var doc = (RescoredDoc)rescored[i];
            var stored = includeContent ? snapshot.Load(doc.Doc) : new CorpusDocument(snapshot.IdOf(doc.Doc), string.Empty, string.Empty);
            hits[i] = new RerankedHit(stored.Id, doc.Score, doc.FirstStageScore, doc.CrossEncoderScore, stored.Title, stored.Text);
        }
        Array.Sort(hits, RerankedHit.TrecOrder);
        return hits;
    }

    public override string ToString() => $"{searcher}>>{RescorerName}@{FirstStageDepth}";
}
