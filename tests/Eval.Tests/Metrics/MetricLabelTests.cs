using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests.Metrics;

public class MetricLabelTests
{
    [Theory]
    [InlineData("ndcg_cut_10", "nDCG@10")]
    [InlineData("recip_rank", "RR")]
    [InlineData("recip_rank_10", "RR@10")]
    [InlineData("map", "MAP")]
    [InlineData("map_cut_100", "MAP@100")]
    [InlineData("recall_100", "R@100")]
    [InlineData("P_5", "P@5")]
    [InlineData("judged_10", "judged@10")]
    [InlineData("bpref", "bpref")]
    [InlineData("ndcg_cut_x", "ndcg_cut_x")]
    public void UsesThePapersSpelling(string name, string label) => Assert.Equal(label, MetricLabel.For(name));

    [Fact]
    public void EveryParsableMetricHasALabelOtherThanItsName()
    {
        foreach (var metric in MetricParser.ParseList("ndcg_cut_10,recip_rank,recip_rank_10,map,map_cut_5,recall_100,P_10,judged_10"))
            Assert.NotEqual(metric.Name, MetricLabel.For(metric.Name));
    }
}
