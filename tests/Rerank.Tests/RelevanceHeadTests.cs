namespace SearchRerank.Rerank.Tests;

/// <summary>The (0, 1) relevance the re-rank APIs report: a raw logit is squashed once, a squashed score never twice.</summary>
public sealed class RelevanceHeadTests
{
    [Theory]
    [InlineData(1, ScoreActivation.Identity, 2.0f, 0.880797f)]
    [InlineData(2, ScoreActivation.Identity, -1.0f, 0.268941f)]
    [InlineData(1, ScoreActivation.Sigmoid, 0.75f, 0.75f)]
    [InlineData(2, ScoreActivation.Softmax, 0.2f, 0.2f)]
    public void Relevance_squashes_only_a_raw_logit(int labels, ScoreActivation activation, float score, float expected) =>
        Assert.Equal(expected, new RelevanceHead(labels, activation).Relevance(score), 5);
}
