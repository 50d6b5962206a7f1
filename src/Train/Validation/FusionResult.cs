namespace SearchRerank.Train.Validation;

/// <summary>The fusion weight picked on the validation queries: score = α·z(first stage) + (1 − α)·z(cross-encoder).</summary>
public sealed record FusionResult(double Alpha, double Ndcg, double ModelNdcg, double FirstStageNdcg);
