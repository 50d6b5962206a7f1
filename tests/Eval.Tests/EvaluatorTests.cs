using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests;

public class EvaluatorTests
{
    private static Qrels Qrels() => new([
        ("q1", "A", 2), ("q1", "B", 1),
        ("q2", "F", 0),            // judged, but nothing relevant
        ("q3", "G", 1),            // the run below does not answer q3
    ]);

    private static Run Run()
    {
        var run = new Run("sys");
        run.Add("q1", "A", 2);
        run.Add("q1", "X", 1);
        run.Add("q2", "F", 1);
        run.Add("q9", "Z", 1);      // not judged: ignored
        return run;
    }

    [Fact]
    public void MeansCountEveryQrelsQueryLikeTrecEvalC()
    {
        var result = new Evaluator([new ReciprocalRank(), new Recall(10), new Judged(2)]).Evaluate(Run(), Qrels());
        Assert.Equal(["q1", "q2", "q3"], result.QueryIds);
        Assert.Equal([1.0, 0.0, 0.0], result.PerQuery("recip_rank"));
        Assert.Equal(1.0 / 3, result.Mean("recip_rank"), 12);
        Assert.Equal(0.5 / 3, result.Mean("recall_10"), 12);
        Assert.Equal((0.5 + 0.5 + 0) / 3, result.Mean("judged_2"), 12);
        Assert.Equal(1, result.MissingQueries);
        Assert.Equal(1, result.UnjudgedQueries);
        Assert.Equal("sys", result.RunName);
    }

    [Fact]
    public void ThresholdChangesBinaryMetrics()
    {
        var run = new Run("sys");
        run.Add("q1", "B", 2);
        run.Add("q1", "A", 1);
        var result = new Evaluator([new ReciprocalRank()], relevanceThreshold: 2).Evaluate(run, Qrels());
        Assert.Equal(0.5, result.PerQuery("recip_rank")[0]);
    }

    [Fact]
    public void RunMatchingNoQrelsQueryIsAnErrorNamingTheRun()
    {
        var run = new Run("other.run");
        run.Add("x1", "A", 1);
        var error = Assert.Throws<InvalidDataException>(() => new Evaluator([new Ndcg(10)]).Evaluate(run, Qrels()));
        Assert.Contains("run 'other.run': none of its 1 query ids ('x1', …) occurs in the qrels", error.Message);
    }

    [Fact]
    public void RejectsBadConfiguration()
    {
        Assert.Throws<ArgumentException>(() => new Evaluator([]));
        Assert.Throws<ArgumentException>(() => new Evaluator([new Ndcg(10), new Ndcg(10)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Evaluator([new Ndcg(10)], relevanceThreshold: -1));
        Assert.Throws<KeyNotFoundException>(() => new Evaluator([new Ndcg(10)]).Evaluate(Run(), Qrels()).Mean("map"));
    }

    [Fact]
    public void QrelsConstructorRejectsDuplicates() =>
        Assert.Throws<ArgumentException>(() => new Qrels([("q", "a", 1), ("q", "a", 0)]));
}
