using System.Diagnostics.Metrics;

namespace SearchRerank.Server;

/// <summary>
/// The service's own instruments (meter <c>SearchRerank.Server</c>), exported with ASP.NET Core's request counts and
/// latencies per route on <c>/metrics</c> in Prometheus format: pairs scored, the size and duration of each model
/// call, and the re-rank queue's depth.
/// </summary>
internal sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "SearchRerank.Server";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> pairs;
    private readonly Histogram<int> batchPairs;
    private readonly Histogram<int> batchTokens;
    private readonly Histogram<double> batchSeconds;

    public ServiceMetrics()
    {
        pairs = meter.CreateCounter<long>("searchrerank.rerank.pairs", "{pair}", "Pairs scored by the cross-encoder");
        batchPairs = meter.CreateHistogram<int>("searchrerank.rerank.batch.pairs", "{pair}", "Pairs in one model call (across requests)");
        batchTokens = meter.CreateHistogram<int>("searchrerank.rerank.batch.tokens", "{token}", "Tokens in one model call");
        batchSeconds = meter.CreateHistogram<double>("searchrerank.rerank.batch.duration", "s", "Duration of one model call");
    }

    /// <summary>Publishes the queue depth that <paramref name="queued"/> reads.</summary>
    public void ObserveQueue(Func<int> queued) =>
        meter.CreateObservableGauge("searchrerank.rerank.queue.pairs", queued, "{pair}", "Pairs waiting for the model");

    public void RecordBatch(int pairCount, int tokens, TimeSpan duration)
    {
        pairs.Add(pairCount);
        batchPairs.Record(pairCount);
        batchTokens.Record(tokens);
        batchSeconds.Record(duration.TotalSeconds);
    }

    public void Dispose() => meter.Dispose();
}
