using SearchRerank.Core;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval;

/// <summary>
/// Scores a run against qrels with trec_eval's conventions: ranking by <see cref="Run.Ranked"/>, binary relevance
/// at grade ≥ <see cref="RelevanceThreshold"/> (trec_eval -l), and means over every query of the qrels as with
/// <c>trec_eval -c</c> — a judged query the run does not answer scores 0 on every metric, and run queries without
/// judgments are ignored (and counted). A run none of whose queries is judged is an error: it almost always
/// means the wrong qrels or a different query-id scheme.
/// </summary>
public sealed class Evaluator
{
    public Evaluator(IReadOnlyList<IMetric> metrics, int relevanceThreshold = 1)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0)
            throw new ArgumentException("at least one metric is required", nameof(metrics));
        var duplicate = metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"metric '{duplicate.Key}' requested twice", nameof(metrics));
        if (relevanceThreshold < 0)
            throw new ArgumentOutOfRangeException(nameof(relevanceThreshold), relevanceThreshold,
                "relevance threshold must be ≥ 0 (negative grades mean 'not judged')");
        Metrics = metrics;
        RelevanceThreshold = relevanceThreshold;
    }

    public IReadOnlyList<IMetric> Metrics { get; }

    public int RelevanceThreshold { get; }

    public EvaluationResult Evaluate(Run run, Qrels qrels)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(qrels);

        var runQueries = run.QueryIds;
        var unjudged = runQueries.Count(q => !qrels.Contains(q));
        if (runQueries.Count > 0 && unjudged == runQueries.Count)
        {
            var examples = string.Join(", ", runQueries.Take(3).Select(q => $"'{q}'"));
            throw new InvalidDataException(
                $"run '{run.Name}': none of its {runQueries.Count} query ids ({examples}, …) occurs in the qrels — wrong qrels file or split?");
        }

        var queryIds = qrels.QueryIds.ToArray();
        var values = new double[Metrics.Count][];
        for (var m = 0; m < Metrics.Count; m++)
            values[m] = new double[queryIds.Length];
        var missing = 0;
        for (var q = 0; q < queryIds.Length; q++)
        {
            var ranked = run.Ranked(queryIds[q]);
            if (ranked.Count == 0)
                missing++;
            var relevance = QueryRelevance.Create(ranked, qrels.Judgments(queryIds[q]), RelevanceThreshold);
            for (var m = 0; m < Metrics.Count; m++)
                values[m][q] = Metrics[m].Compute(relevance);
        }
        return new EvaluationResult(run.Name, Metrics.Select(m => m.Name).ToArray(), queryIds, values, missing, unjudged);
    }
}
