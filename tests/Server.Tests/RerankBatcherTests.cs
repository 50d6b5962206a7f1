using SearchRerank.Rerank;

namespace SearchRerank.Server.Tests;

/// <summary>The batcher scores what is asked, turns away what would overfill its queue, and drops a request whose client left.</summary>
public sealed class RerankBatcherTests : IDisposable
{
    private readonly CrossEncoder encoder = CrossEncoder.Load(SharedPaths.Shared("reference", "tiny-bert-ce"));
    private readonly ServiceMetrics metrics = new();

    public void Dispose()
    {
        encoder.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public async Task Scores_equal_the_encoders_and_a_gone_client_never_reaches_the_model()
    {
        using var batcher = new RerankBatcher(encoder, maxBatchTokens: 64, maxQueuedPairs: 100, metrics);
        var pairs = Enumerable.Range(0, 12).Select(i => encoder.Tokenizer.EncodePair("aspirin heart", $"document {i} about aspirin and the heart", encoder.MaxLength)).ToArray();
        var scores = await batcher.ScoreAsync(pairs, CancellationToken.None);
        Assert.Equal(encoder.Predict(pairs), scores, (a, b) => Math.Abs(a - b) < 1e-5);

        using var gone = new CancellationTokenSource();
        gone.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.ScoreAsync(pairs, gone.Token));
        Assert.Equal(0, batcher.QueuedPairs);

        // Refused at once, before anything is queued: the caller answers 429 instead of waiting.
        var error = Assert.Throws<QueueFullException>(() => { _ = batcher.ScoreAsync([.. Enumerable.Repeat(pairs[0], 101)], CancellationToken.None); });
        Assert.Contains("at most 100", error.Message);
    }
}
