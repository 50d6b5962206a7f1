namespace SearchRerank.Core;

/// <summary>
/// Long work stopped early at a safe point because it was cancelled (Ctrl-C, SIGTERM, a caller's token), with
/// <see cref="Kept"/> saying what it left behind and how to continue, e.g. "index X keeps its last commit (3,000
/// documents); run the same command again to resume".
/// </summary>
public sealed class StoppedException : OperationCanceledException
{
    public StoppedException(string kept, CancellationToken token) : base($"stopped: {kept}", token) => Kept = kept;

    public StoppedException(string kept, OperationCanceledException cancelled) : base($"stopped: {kept}", cancelled, cancelled.CancellationToken) => Kept = kept;

    /// <summary>What the stopped work kept and how to continue it, one sentence without a trailing period.</summary>
    public string Kept { get; }
}
