using SearchRerank.Core;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests.Metrics;

/// <summary>
/// Hand-computed trec_eval values for one query.
/// Qrels: A=2, B=1, C=0, D=1 (not retrieved), E=−1 (in pool, unjudged) → 3 relevant at threshold 1.
/// Run:   X 5.0 (not judged), B 4.0, A 4.0, C 3.0, E 2.0. The B/A tie goes to B (docid descending),
/// so the relevance values by rank are [−1, 1, 2, 0, −2].
/// </summary>
public class MetricTests
{
    private const double Tolerance = 1e-12;

    private static QueryRelevance Example(int threshold = 1)
    {
        var run = new Run("r");
        run.Add("q", "X", 5.0);
        run.Add("q", "A", 4.0);
        run.Add("q", "B", 4.0);
        run.Add("q", "C", 3.0);
        run.Add("q", "E", 2.0);
        var judgments = new Dictionary<string, int> { ["A"] = 2, ["B"] = 1, ["C"] = 0, ["D"] = 1, ["E"] = -1 };
        return QueryRelevance.Create(run.Ranked("q"), judgments, threshold);
    }

    [Fact]
    public void RelevanceValuesFollowTrecEval()
    {
        var query = Example();
        Assert.Equal([QueryRelevance.NotInPool, 1, 2, 0, QueryRelevance.Unjudged], query.Grades);
        Assert.Equal(3, query.RelevantCount);
        Assert.Equal([2, 1, 1], query.IdealGains);
    }

    [Theory]
    [InlineData(1, 0.0)]
    // DCG@3 = 1/log2(3) + 2/log2(4); IDCG@3 = 2 + 1/log2(3) + 1/log2(4).
    [InlineData(3, 0.5209090851)]
    // Cutoff beyond the list: nothing more to gain, the ideal also stops at 3 judged relevant.
    [InlineData(10, 0.5209090851)]
    public void NdcgUsesGradesAsGainsAndAllJudgedDocumentsForTheIdeal(int k, double expected)
    {
        var dcg3 = 1 / Math.Log2(3) + 2 / Math.Log2(4);
        var idcg3 = 2 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(0.5209090851, dcg3 / idcg3, 9);
        Assert.Equal(expected, new Ndcg(k).Compute(Example()), 9);
    }

    [Fact]
    public void NdcgIgnoresTheBinaryThreshold() =>
        Assert.Equal(new Ndcg(10).Compute(Example()), new Ndcg(10).Compute(Example(threshold: 2)), Tolerance);

    [Theory]
    [InlineData(null, 1, 0.5)]
    [InlineData(1, 1, 0.0)]
    [InlineData(2, 1, 0.5)]
    [InlineData(null, 2, 1.0 / 3)]
    [InlineData(2, 2, 0.0)]
    public void ReciprocalRank(int? k, int threshold, double expected) =>
        Assert.Equal(expected, new ReciprocalRank(k).Compute(Example(threshold)), Tolerance);

    [Theory]
    // Relevant at ranks 2 and 3: (1/2 + 2/3) / 3 relevant.
    [InlineData(null, 1, (0.5 + 2.0 / 3) / 3)]
    [InlineData(2, 1, 0.5 / 3)]
    [InlineData(1000, 1, (0.5 + 2.0 / 3) / 3)]
    // Only A (rank 3) is relevant at threshold 2.
    [InlineData(null, 2, 1.0 / 3)]
    public void AveragePrecisionDividesByAllRelevant(int? k, int threshold, double expected) =>
        Assert.Equal(expected, new AveragePrecision(k).Compute(Example(threshold)), Tolerance);

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(3, 2.0 / 3)]
    [InlineData(5, 0.4)]
    [InlineData(10, 0.2)]
    public void PrecisionDividesByTheCutoffEvenPastTheEnd(int k, double expected) =>
        Assert.Equal(expected, new Precision(k).Compute(Example()), Tolerance);

    [Theory]
    [InlineData(2, 1.0 / 3)]
    [InlineData(100, 2.0 / 3)]
    public void RecallCountsUnretrievedRelevant(int k, double expected) =>
        Assert.Equal(expected, new Recall(k).Compute(Example()), Tolerance);

    [Theory]
    // X is not in the pool and E has a negative grade: only B, A, C are judged.
    [InlineData(1, 0.0)]
    [InlineData(5, 0.6)]
    [InlineData(10, 0.3)]
    public void JudgedCountsDocumentsWithANonNegativeGrade(int k, double expected) =>
        Assert.Equal(expected, new Judged(k).Compute(Example()), Tolerance);

    [Fact]
    public void QueryWithoutRelevantDocumentsScoresZeroButCanBeJudged()
    {
        var run = new Run("r");
        run.Add("q", "F", 1.0);
        var query = QueryRelevance.Create(run.Ranked("q"), new Dictionary<string, int> { ["F"] = 0 }, 1);
        foreach (var metric in new IMetric[] { new Ndcg(10), new ReciprocalRank(), new AveragePrecision(), new AveragePrecision(5), new Precision(1), new Recall(10) })
            Assert.Equal(0.0, metric.Compute(query));
        Assert.Equal(1.0, new Judged(1).Compute(query));
    }

    [Fact]
    public void EmptyRankingScoresZero()
    {
        var query = QueryRelevance.Create([], new Dictionary<string, int> { ["A"] = 1 }, 1);
        foreach (var metric in new IMetric[] { new Ndcg(10), new ReciprocalRank(10), new AveragePrecision(), new Precision(5), new Recall(5), new Judged(5) })
            Assert.Equal(0.0, metric.Compute(query));
    }

    [Fact]
    public void PerfectRankingHasNdcgOne()
    {
        var run = new Run("r");
        run.Add("q", "a", 3);
        run.Add("q", "b", 2);
        run.Add("q", "c", 1);
        var query = QueryRelevance.Create(run.Ranked("q"), new Dictionary<string, int> { ["a"] = 3, ["b"] = 1, ["c"] = 1 }, 1);
        Assert.Equal(1.0, new Ndcg(2).Compute(query), Tolerance);
        Assert.Equal(1.0, new AveragePrecision().Compute(query), Tolerance);
    }

    [Fact]
    public void TieBreakChangesNdcgAsTrecEvalWould()
    {
        // Same scores, ids chosen so that descending id order puts the grade-2 document first.
        var run = new Run("r");
        run.Add("q", "A", 1.0);
        run.Add("q", "B", 1.0);
        var query = QueryRelevance.Create(run.Ranked("q"), new Dictionary<string, int> { ["A"] = 1, ["B"] = 2 }, 1);
        Assert.Equal(1.0, new Ndcg(2).Compute(query), Tolerance);
    }

    [Fact]
    public void RandomRankingsStayInRangeAndRecallIsMonotonic()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var run = new Run("r");
            var judgments = new Dictionary<string, int>();
            for (var d = 0; d < 30; d++)
            {
                if (random.NextDouble() < 0.7)
                    run.Add("q", $"d{d}", Math.Round(random.NextDouble() * 5, 1));
                if (random.NextDouble() < 0.5)
                    judgments[$"d{d}"] = random.Next(-1, 4);
            }
            var query = QueryRelevance.Create(run.Ranked("q"), judgments, random.Next(0, 3));
            var previousRecall = 0.0;
            foreach (var k in new[] { 1, 5, 10, 20, 50 })
            {
                foreach (var metric in new IMetric[] { new Ndcg(k), new ReciprocalRank(k), new AveragePrecision(k), new Precision(k), new Recall(k), new Judged(k) })
                    Assert.InRange(metric.Compute(query), 0.0, 1.0);
                var recall = new Recall(k).Compute(query);
                Assert.True(recall >= previousRecall);
                previousRecall = recall;
            }
            Assert.Equal(new AveragePrecision().Compute(query), new AveragePrecision(50).Compute(query), Tolerance);
        }
    }
}
