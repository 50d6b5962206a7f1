namespace SearchRerank.Train.Sampling;

/// <summary>
/// Deterministic source of training groups. Group <c>g</c> of the stream is a pure function of the seed and
/// <c>g</c> (epoch = g / GroupsPerEpoch, the epoch's shuffle seeded with seed + epoch), so a run resumed at
/// position g draws exactly what the uninterrupted run drew.
/// </summary>
internal interface IGroupSampler
{
    /// <summary>Groups in one pass over the training queries.</summary>
    int GroupsPerEpoch { get; }

    /// <summary>The <paramref name="position"/>-th group of the endless stream (0-based).</summary>
    TrainingGroup Sample(long position);
}
