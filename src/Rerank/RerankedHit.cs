using SearchRerank.Search;

namespace SearchRerank.Rerank;

/// <summary>
/// One re-ranked result: the final <paramref name="Score"/> (the cross-encoder logit, or the fused score), with both
/// stage scores kept so a run can be explained or re-fused later, and the stored title and text (empty when the caller
/// asked for ids only).
/// </summary>
public sealed record RerankedHit(string DocId, double Score, double FirstStageScore, double CrossEncoderScore, string Title, string Text)
{
    /// <summary>The first stage's and trec_eval's order (<see cref="Search.TrecOrder"/>), so that truncating to k and writing a run agree.</summary>
    public static int TrecOrder(RerankedHit x, RerankedHit y) => Search.TrecOrder.Compare(x.Score, x.DocId, y.Score, y.DocId);
}
