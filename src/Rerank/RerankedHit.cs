// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>
/// One re-ranked result: the final <paramref name="Score"/> (the cross-encoder logit, or the fused score), with both
/// stage scores kept so a run can be explained or re-fused later.
/// </summary>
public sealed record RerankedHit(string DocId, double Score, double FirstStageScore, double CrossEncoderScore, string Title, string Text);
