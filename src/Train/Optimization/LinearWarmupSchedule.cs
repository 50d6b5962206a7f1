namespace SearchRerank.Train.Optimization;

/// <summary>
/// The learning-rate factor of transformers' <c>get_linear_schedule_with_warmup</c>, for <c>LambdaLR</c>: step/warmup
/// during the warm-up (so the first step of a warmed-up stage uses lr 0, as there), then (total − step)/(total − warmup)
/// down to 0; or constant 1 after the warm-up when the schedule does not decay.
/// </summary>
internal static class LinearWarmupSchedule
{
    public static double Factor(long step, long warmup, long total, bool decay = true)
    {
        if (step < warmup)
            return step / (double)Math.Max(1, warmup);
        if (!decay)
            return 1.0;
        return Math.Max(0.0, (total - step) / (double)Math.Max(1, total - warmup));
    }
}
