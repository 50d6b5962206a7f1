namespace SearchRerank.Train.Validation;

/// <summary>
/// One validation pass: mean nDCG@10 of the first stage alone and of the cross-encoder's re-ranking, and the
/// cross-encoder scores per query (aligned with each <see cref="ValidationQuery.Candidates"/>) for fusion tuning.
/// </summary>
internal sealed record ValidationResult(double FirstStageNdcg, double ModelNdcg, IReadOnlyList<float[]> Scores);
