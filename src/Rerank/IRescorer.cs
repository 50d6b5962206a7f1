// SearchRerank — MIT licence.
using SearchRerank.Search;
using SearchRerank.Search.Scoring;

namespace SearchRerank.Rerank;

/// <summary>
/// A second pass over one query's first-stage hits (the two-pass idea of Lucene's Rescorer): an expensive scorer looks
/// only at what a cheap one retrieved. The hits must come from the index whose documents the rescorer reads.
/// The result holds every input hit once, ordered by final score descending, ties by document id descending (ordinal),
/// the order of <see cref="Searcher"/> and trec_eval. <c>ToString</c> names the rescorer and its parameters (for run tags).
/// </summary>
public interface IRescorer
{
    IReadOnlyList<RerankedHit> Rescore(string query, IReadOnlyList<Hit> firstStage, CancellationToken cancellationToken = default);

    /// <summary>
    /// How <paramref name="docId"/>'s final score in <paramref name="rescored"/> (one query's <see cref="Rescore"/> result)
    /// was made, nesting <paramref name="firstStage"/> (e.g. <see cref="Searcher.Explain"/>) when given.
    /// </summary>
    Explanation Explain(IReadOnlyList<RerankedHit> rescored, string docId, Explanation? firstStage = null);
}
