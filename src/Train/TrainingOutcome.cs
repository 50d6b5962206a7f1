using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// The finished model folder and what validation said about it (null fields when no queries were held out).
/// <see cref="TotalSteps"/> counts the optimizer steps taken by this call (a resumed run counts from where it resumed).
/// </summary>
public sealed record TrainingOutcome(string ModelDirectory, long TotalSteps, double? ValidationNdcg, FusionResult? Fusion);
