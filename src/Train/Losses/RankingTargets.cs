namespace SearchRerank.Train.Losses;

/// <summary>
/// What a micro-batch is scored against: groups of <see cref="GroupSize"/> consecutive pairs, one label per pair
/// (1/0 relevance, a teacher's grade or score; null where the loss needs none), and optional per-group weights (a
/// curriculum; null means all 1).
/// </summary>
internal sealed record RankingTargets(int GroupSize, int Groups, float[]? Labels = null, float[]? GroupWeights = null)
{
    public int Pairs => GroupSize * Groups;

    /// <summary>Checks the shapes and values every loss relies on; <paramref name="loss"/> names the caller in the message.</summary>
    internal void Check(string loss, int batch, int minimumGroupSize, bool needsLabels)
    {
        if (GroupSize < minimumGroupSize)
            throw new ArgumentException($"{loss}: needs groups of at least {minimumGroupSize} pairs, got group_size {GroupSize}");
        if (Groups < 1 || Pairs != batch)
            throw new ArgumentException($"{loss}: {Groups} groups of {GroupSize} pairs do not make the batch of {batch} scores (group_size {GroupSize} must divide it)");
        if (needsLabels && Labels is null)
            throw new ArgumentException($"{loss}: needs one label per pair, got none");
        if (Labels is not null)
        {
            if (Labels.Length != batch)
                throw new ArgumentException($"{loss}: {Labels.Length} labels for a batch of {batch}");
            for (int i = 0; i < Labels.Length; i++)
                if (!float.IsFinite(Labels[i]))
                    throw new ArgumentException($"{loss}: labels[{i}] = {Labels[i]} is not finite");
        }
        if (GroupWeights is not null)
        {
            if (GroupWeights.Length != Groups)
                throw new ArgumentException($"{loss}: {GroupWeights.Length} group weights for {Groups} groups");
            for (int i = 0; i < GroupWeights.Length; i++)
                if (!float.IsFinite(GroupWeights[i]) || GroupWeights[i] < 0)
                    throw new ArgumentException($"{loss}: group_weights[{i}] = {GroupWeights[i]} must be finite and >= 0");
        }
    }
}
