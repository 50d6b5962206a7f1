namespace SearchRerank.Train;

/// <summary>
/// Progress of a training run, reported after every optimizer step and validation.
/// <see cref="Phase"/> says what is happening ("mining", "training", "validating", "exporting").
/// </summary>
public sealed record TrainProgress(
    string Phase,
    string Stage,
    int StageIndex,
    int StageCount,
    long Step,
    long TotalSteps,
    double Loss,
    double PairsPerSecond,
    TimeSpan? Remaining,
    double? LastValidationNdcg);
