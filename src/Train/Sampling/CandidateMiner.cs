using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search;

namespace SearchRerank.Train.Sampling;

/// <summary>
/// Builds <see cref="TrainingQuery"/> pools from the first stage: each query's top-depth hits, with the judged
/// positives (grade ≥ 1) taken out of the negative pool. The search delegate is usually <see cref="Searcher.Search"/>
/// of the same index the model will re-rank, so negatives are the first stage's own hard cases.
/// </summary>
public sealed class CandidateMiner
{
    private readonly Func<string, int, IReadOnlyList<Hit>> search;

    public CandidateMiner(Func<string, int, IReadOnlyList<Hit>> search) => this.search = search;

    /// <summary>Queries with judged positives from <paramref name="qrels"/>; queries without any are left out.</summary>
    public IReadOnlyList<TrainingQuery> FromQrels(IReadOnlyList<Topic> queries, Qrels qrels, int depth, CancellationToken cancellationToken = default)
    {
        var judged = queries.Where(q => qrels.RelevantCount(q.Id) > 0).ToArray();
        return Mine(judged, depth, titleQueries: false, cancellationToken, (query, hits) =>
        {
            var grades = qrels.Judgments(query.Id);
            var byId = hits.ToDictionary(h => h.DocId, StringComparer.Ordinal);
            var positives = qrels.RelevantDocuments(query.Id)
                .Select(id => byId.TryGetValue(id, out var hit) ? hit : new Candidate(id, 0, 0))
                .OrderBy(c => c.Rank == 0 ? int.MaxValue : c.Rank).ThenBy(c => c.DocId, StringComparer.Ordinal)
                .ToArray();
            var negatives = hits.Where(h => !(grades.TryGetValue(h.DocId, out int g) && g >= 1)).ToArray();
            return (positives, negatives);
        });
    }

    /// <summary>
    /// Weak supervision: each document with a title becomes a query (the title) whose only positive is the document
    /// itself; the negatives are the title's hits without that document.
    /// </summary>
    public IReadOnlyList<TrainingQuery> FromTitles(IReadOnlyList<CorpusDocument> documents, int depth, CancellationToken cancellationToken = default)
    {
        var queries = documents.Where(d => !string.IsNullOrWhiteSpace(d.Title)).Select(d => new Topic(d.Id, d.Title)).ToArray();
        return Mine(queries, depth, titleQueries: true, cancellationToken, (query, hits) =>
        {
            var self = hits.FirstOrDefault(h => h.DocId == query.Id) ?? new Candidate(query.Id, 0, 0);
            return ([self], hits.Where(h => h.DocId != query.Id).ToArray());
        });
    }

    private TrainingQuery[] Mine(IReadOnlyList<Topic> queries, int depth, bool titleQueries, CancellationToken cancellationToken,
        Func<Topic, Candidate[], (Candidate[] Positives, Candidate[] Negatives)> split)
    {
        var result = new TrainingQuery[queries.Count];
        Parallel.For(0, queries.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var query = queries[i];
            var hits = this.search(query.Text, depth).Select((h, rank) => new Candidate(h.DocId, rank + 1, h.Score)).ToArray();
            var (positives, negatives) = split(query, hits);
            double min = hits.Length > 0 ? hits.Min(h => h.Score) : 0;
            double max = hits.Length > 0 ? hits.Max(h => h.Score) : 0;
            result[i] = new TrainingQuery(query.Id, query.Text, positives, negatives, min, max, titleQueries);
        });
        return result;
    }
}
