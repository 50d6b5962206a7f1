using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Rerank;

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

    // α runs over 0, 1/GridSteps, …, 1; GridSteps is even, so equal weight (0.5) is a grid point.
    private const int GridSteps = 20;
    private readonly Qrels qrels;

    private readonly AlphaSelection alphaSelection;

    public Validator(IReadOnlyList<ValidationQuery> queries, Qrels qrels, AlphaSelection alphaSelection = AlphaSelection.Best)
    {
        Queries = queries;
        this.qrels = qrels;
        this.alphaSelection = alphaSelection;
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
    /// Grid search of α over 0, 0.05, …, 1 for α·z(first stage) + (1 − α)·z(model), picked by the
    /// <see cref="AlphaSelection"/> the validator was built with. <see cref="AlphaSelection.Best"/>: the smallest α among
    /// equally good ones wins, so the model is trusted unless the first stage adds something.
    /// </summary>
    public FusionResult TuneFusion(ValidationResult result)
    {
        var firstStage = Queries.Select(q => (IReadOnlyList<double>)q.Candidates.Select(c => c.Score).ToArray()).ToArray();
        var model = result.Scores.Select(s => (IReadOnlyList<double>)s.Select(x => (double)x).ToArray()).ToArray();
        var grid = Enumerable.Range(0, GridSteps + 1).Select(step => step / (double)GridSteps).ToArray();
        var perQuery = grid.Select(alpha => PerQuery(firstStage.Select((f, i) => (IReadOnlyList<double>)new ScoreFusion(alpha).Combine(f, model[i])).ToArray())).ToArray();
        var means = perQuery.Select(Average).ToArray();
        int best = 0;
        for (int a = 1; a < grid.Length; a++)
            if (means[a] > means[best] + 1e-12)
                best = a;
        int chosen = this.alphaSelection == AlphaSelection.OneStandardError ? WithinOneStandardErrorNearestHalf(perQuery, means, best) : best;
        return new FusionResult(grid[chosen], means[chosen], result.ModelNdcg, FirstStageNdcg);
    }

    /// <summary>
    /// Of the grid points whose mean is at most one standard error of the paired per-query differences below the best,
    /// the one nearest α = 0.5; between two equally near, the higher mean, then the larger α (the first stage's side,
    /// which is the safe one on collections the split says nothing about).
    /// </summary>
    private static int WithinOneStandardErrorNearestHalf(double[][] perQuery, double[] means, int best)
    {
        int chosen = best;
        for (int a = 0; a < perQuery.Length; a++)
        {
            if (!WithinOneStandardError(perQuery[a], perQuery[best]))
                continue;
            int distance = Math.Abs(a - GridSteps / 2), chosenDistance = Math.Abs(chosen - GridSteps / 2);
            bool equalMeans = Math.Abs(means[a] - means[chosen]) <= 1e-12;
            bool asNearAndBetter = distance == chosenDistance && (means[a] > means[chosen] + 1e-12 || (equalMeans && a > chosen));
            if (distance < chosenDistance || asNearAndBetter)
                chosen = a;
        }
        return chosen;
    }

    private static bool WithinOneStandardError(double[] candidate, double[] best)
    {
        int n = candidate.Length;
        if (n < 2)
            return candidate.SequenceEqual(best);
        var differences = candidate.Select((c, i) => c - best[i]).ToArray();
        double mean = differences.Average();
        double variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        return mean >= -Math.Sqrt(variance / n) - 1e-12;
    }

    private double Mean(IReadOnlyList<IReadOnlyList<double>> scores) => Average(PerQuery(scores));

    private static double Average(double[] values)
    {
        if (values.Length == 0)
            return 0;
        double sum = 0;
        foreach (double v in values)
            sum += v;
        return sum / values.Length;
    }

    /// <summary>Each query's nDCG@10 when its candidates are ranked by <paramref name="scores"/>.</summary>
    private double[] PerQuery(IReadOnlyList<IReadOnlyList<double>> scores)
    {
        var ndcg = new double[Queries.Count];
        for (int i = 0; i < Queries.Count; i++)
        {
            var query = Queries[i];
            var run = new Run("validation");
            for (int c = 0; c < query.Candidates.Count; c++)
                run.Add(query.Id, query.Candidates[c].DocId, scores[i][c]);
            ndcg[i] = Metric.Compute(QueryRelevance.Create(run.Ranked(query.Id), this.qrels.Judgments(query.Id), 1));
        }
        return ndcg;
    }
}
