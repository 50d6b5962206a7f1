namespace SearchRerank.Train.Stages;

/// <summary>
/// Best-checkpoint selection on validation nDCG@10 with patience (sentence-transformers' "keep the best by the
/// evaluator's primary metric"): a validation that beats the best so far becomes the best; after
/// <see cref="Patience"/> validations in a row without improvement the stage stops (0: never stops early).
/// </summary>
internal sealed class EarlyStopping(int patience, double bestNdcg = -1, long bestStep = 0, int sinceBest = 0)
{
    public int Patience { get; } = patience;

    /// <summary>Best nDCG@10 so far, −1 before the first validation.</summary>
    public double BestNdcg { get; private set; } = bestNdcg;

    public long BestStep { get; private set; } = bestStep;

    public int SinceBest { get; private set; } = sinceBest;

    /// <summary>Records a validation; returns whether it is the new best and whether the stage should stop.</summary>
    public (bool IsBest, bool Stop) Observe(double ndcg, long step)
    {
        if (ndcg > BestNdcg)
        {
            (BestNdcg, BestStep, SinceBest) = (ndcg, step, 0);
            return (true, false);
        }
        SinceBest++;
        return (false, Patience > 0 && SinceBest >= Patience);
    }
}
