using SearchRerank.Evaluation;
using SearchRerank.Evaluation.Metrics;
using SearchRerank.Core;

namespace SearchRerank.Train.Validation;

/// <summary>
/// Scores re-rankings of the held-out queries with trec_eval's nDCG@10 (Eval's <see cref="Ndcg"/>, ties broken as
/// trec_eval does by <see cref="Run.Ranked"/>). The model is a delegate from (query, candidates) to one score per
/// candidate, so this class knows nothing about the engine. Documents outside a query's candidate list count as
/// not retrieved.
/// </summary>
public sealed class Validator
{
    private static readonly Ndcg Metric = new(10);
    private readonly Qrels _qrels;

    public Validator(IReadOnlyList<ValidationQuery> queries, Qrels qrels)
    {
        Queries = queries;
        _qrels = qrels;
        FirstStageNdcg = Mean(queries.Select(q => (IReadOnlyList<double>)q.Candidates.Select(c => c.Score).ToArray()).ToArray());
    }

    public IReadOnlyList<ValidationQuery> Queries { get; }

    /// <summary>Mean nDCG@10 of the first stage's own ranking of the candidates.</summary>
    public double FirstStageNdcg { get; }

    public ValidationResult Evaluate(Func<ValidationQuery, float[]> score, CancellationToken cancellationToken = default)
    {
        var scores = new float[Queries.Count][];
        for (int i = 0; i < Queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = score(Queries[i]);
            if (scores[i].Length != Queries[i].Candidates.Count)
                throw new InvalidOperationException($"validation query {Queries[i].Id}: {scores[i].Length} scores for {Queries[i].Candidates.Count} candidates");
        }
        double ndcg = Mean(scores.Select(s => (IReadOnlyList<double>)s.Select(x => (double)x).ToArray()).ToArray());
        return new ValidationResult(FirstStageNdcg, ndcg, scores);
    }

    /// <summary>
    /// Grid search of α over 0, 0.05, …, 1 for α·z(first stage) + (1 − α)·z(model); the smallest α among equally
    /// good ones wins, so the model is trusted unless the first stage adds something.
    /// </summary>
    public FusionResult TuneFusion(ValidationResult result)
    {
        var firstStage = Queries.Select(q => (IReadOnlyList<double>)q.Candidates.Select(c => c.Score).ToArray()).ToArray();
        var model = result.Scores.Select(s => (IReadOnlyList<double>)s.Select(x => (double)x).ToArray()).ToArray();
        double bestAlpha = 0, best = double.NegativeInfinity;
        for (int step = 0; step <= 20; step++)
        {
            double alpha = step / 20.0;
            var fused = firstStage.Select((f, i) => (IReadOnlyList<double>)ZScoreFusion.Fuse(alpha, f, model[i])).ToArray();
            double ndcg = Mean(fused);
            if (ndcg > best + 1e-12)
            {
                best = ndcg;
                bestAlpha = alpha;
            }
        }
        return new FusionResult(bestAlpha, best, result.ModelNdcg, FirstStageNdcg);
    }

    /// <summary>Mean nDCG@10 over the queries when each query's candidates are ranked by <paramref name="scores"/>.</summary>
    private double Mean(IReadOnlyList<IReadOnlyList<double>> scores)
    {
        if (Queries.Count == 0)
            return 0;
        double sum = 0;
        for (int i = 0; i < Queries.Count; i++)
        {
            var query = Queries[i];
            var run = new Run("validation");
            for (int c = 0; c < query.Candidates.Count; c++)
                run.Add(query.Id, query.Candidates[c].DocId, scores[i][c]);
            sum += Metric.Compute(QueryRelevance.Create(run.Ranked(query.Id), _qrels.Judgments(query.Id), 1));
        }
        return sum / Queries.Count;
    }
}
