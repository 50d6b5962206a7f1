using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests.Metrics;

public class MetricParserTests
{
    [Theory]
    [InlineData("ndcg_cut_10", typeof(Ndcg))]
    [InlineData("ndcg_cut.10", typeof(Ndcg))]
    [InlineData("recip_rank", typeof(ReciprocalRank))]
    [InlineData("recip_rank_10", typeof(ReciprocalRank))]
    [InlineData("map", typeof(AveragePrecision))]
    [InlineData("map_cut_100", typeof(AveragePrecision))]
    [InlineData("recall_1000", typeof(Recall))]
    [InlineData("P_5", typeof(Precision))]
    [InlineData("judged_10", typeof(Judged))]
    public void ParsesTrecEvalNames(string name, Type type)
    {
        var metric = MetricParser.Parse(name);
        Assert.IsType(type, metric);
        Assert.Equal(name.Replace('.', '_'), metric.Name);
    }

    [Theory]
    [InlineData("ndcg", "unknown metric 'ndcg'")]
    [InlineData("P_0", "metric 'P_0': cutoff must be at least 1")]
    [InlineData("recall_x", "unknown metric 'recall_x'")]
    [InlineData("mrr_10", "unknown metric 'mrr_10'")]
    public void RejectsUnknownNames(string name, string message) =>
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => MetricParser.Parse(name)).Message);

    [Fact]
    public void ParsesListsKeepingOrderAndDroppingRepeats()
    {
        Assert.Equal(["ndcg_cut_10", "map", "P_5"], MetricParser.ParseList(" ndcg_cut_10, map,P_5,map ").Select(m => m.Name));
        Assert.Equal(["ndcg_cut_10", "recip_rank_10", "map", "recall_100"], MetricParser.ParseList(MetricParser.DefaultList).Select(m => m.Name));
        Assert.Throws<ArgumentException>(() => MetricParser.ParseList(" , "));
    }
}
