using System.Diagnostics;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Server;

/// <summary>
/// Scores pairs from concurrent requests in shared ONNX Runtime calls: one worker takes the waiting pairs of every
/// request, first come first served, up to <see cref="ServiceOptions.MaxBatchTokens"/> tokens a call (TEI's
/// max-batch-tokens idea; the encoder sorts each call's pairs by length so they pad little), and hands each request
/// its scores when its last pair is done. The queue is bounded: a request that would overfill it fails at once with
/// <see cref="QueueFullException"/>, not by waiting. A request whose client has gone is dropped before its pairs run.
/// </summary>
internal sealed class RerankBatcher : IDisposable
{
    private readonly CrossEncoder encoder;
    private readonly int maxBatchTokens;
    private readonly int maxQueuedPairs;
    private readonly ServiceMetrics metrics;
    private readonly LinkedList<Pending> waiting = new();
    private readonly object gate = new();
    private readonly SemaphoreSlim signal = new(0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task worker;
    private int queuedPairs;

    public RerankBatcher(CrossEncoder encoder, int maxBatchTokens, int maxQueuedPairs, ServiceMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueuedPairs, 1);
        this.encoder = encoder;
        this.maxBatchTokens = maxBatchTokens;
        this.maxQueuedPairs = maxQueuedPairs;
        this.metrics = metrics;
        metrics.ObserveQueue(() => Volatile.Read(ref queuedPairs));
        worker = Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning);
    }

    /// <summary>Pairs waiting for the model now.</summary>
    public int QueuedPairs => Volatile.Read(ref queuedPairs);

    /// <summary>The raw logit of each encoded pair, in order.</summary>
    /// <exception cref="QueueFullException">Taking these pairs would queue more than the limit.</exception>
    internal Task<float[]> ScoreAsync(IReadOnlyList<PairEncoding> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            return Task.FromResult(Array.Empty<float>());
        var pending = new Pending(pairs, cancellationToken);
        lock (gate)
        {
            if (queuedPairs + pairs.Count > maxQueuedPairs)
                throw new QueueFullException(queuedPairs, maxQueuedPairs);
            queuedPairs += pairs.Count;
            waiting.AddLast(pending);
        }
        signal.Release();
        return pending.Result.Task;
    }

    private void Work()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                signal.Wait(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            while (TakeBatch() is { Count: > 0 } batch)
                Run(batch);
        }
        lock (gate)
        {
            foreach (var pending in waiting)
                pending.Result.TrySetCanceled();
            waiting.Clear();
        }
    }

    /// <summary>The next call's pairs: from the oldest request on, until the token budget is spent (always at least one pair).</summary>
    private List<(Pending Request, int Index)> TakeBatch()
    {
        var batch = new List<(Pending, int)>();
        var tokens = 0;
        lock (gate)
        {
            var node = waiting.First;
            while (node is not null)
            {
                var pending = node.Value;
                var next = node.Next;
                if (pending.Cancellation.IsCancellationRequested)
                {
                    // The client is gone: its pairs never reach the model.
                    queuedPairs -= pending.Pairs.Count - pending.Taken;
                    waiting.Remove(node);
                    pending.Result.TrySetCanceled(pending.Cancellation);
                    node = next;
                    continue;
                }
                while (pending.Taken < pending.Pairs.Count)
                {
                    var length = pending.Pairs[pending.Taken].InputIds.Length;
                    if (batch.Count > 0 && tokens + length > maxBatchTokens)
                        return batch;
                    batch.Add((pending, pending.Taken++));
                    tokens += length;
                    queuedPairs--;
                }
                waiting.Remove(node);
                node = next;
            }
        }
        return batch;
    }

    private void Run(List<(Pending Request, int Index)> batch)
    {
        var clock = Stopwatch.StartNew();
        float[] scores;
        try
        {
            scores = encoder.Predict(batch.Select(p => p.Request.Pairs[p.Index]).ToArray());
        }
        catch (Exception ex)
        {
            foreach (var request in batch.Select(p => p.Request).Distinct())
                request.Result.TrySetException(ex);
            return;
        }
        metrics.RecordBatch(batch.Count, batch.Sum(p => p.Request.Pairs[p.Index].InputIds.Length), clock.Elapsed);
        for (var i = 0; i < batch.Count; i++)
        {
            var (request, index) = batch[i];
            request.Scores[index] = scores[i];
            if (Interlocked.Decrement(ref request.Remaining) == 0)
                request.Result.TrySetResult(request.Scores);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        worker.Wait();
        stopping.Dispose();
        signal.Dispose();
    }

    private sealed class Pending(IReadOnlyList<PairEncoding> pairs, CancellationToken cancellation)
    {
        public IReadOnlyList<PairEncoding> Pairs { get; } = pairs;
        public CancellationToken Cancellation { get; } = cancellation;
        public float[] Scores { get; } = new float[pairs.Count];
        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Taken;
        public int Remaining = pairs.Count;
    }
}
