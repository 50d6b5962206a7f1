using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>The finished model folder and what validation said about it (null fields when no queries were held out).</summary>
public sealed record TrainingOutcome(string ModelDirectory, long TotalSteps, double? ValidationNdcg, FusionResult? Fusion);
