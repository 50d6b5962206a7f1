// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>
/// One re-ranked result: the final <paramref name="Score"/> (the cross-encoder logit, or the fused score), with both
/// stage scores kept so a run can be explained or re-fused later, and the stored title and text (empty when the caller
/// asked for ids only).
/// </summary>
public sealed record RerankedHit(string DocId, double Score, double FirstStageScore, double CrossEncoderScore, string Title, string Text)
{
    /// <summary>
    /// Score descending, then document id descending in UTF-8 byte order: the order of the first stage and of
    /// trec_eval, so that truncating to k and writing a run agree.
    /// </summary>
    public static int TrecOrder(RerankedHit x, RerankedHit y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        return byScore != 0 ? byScore : CompareUtf8(y.DocId, x.DocId);
    }

    // UTF-8 byte order is code point order, which UTF-16 ordinal comparison breaks for characters above the surrogates.
    private static int CompareUtf8(string a, string b)
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
                return hasLeft.CompareTo(hasRight);
            var byRune = left.Current.Value.CompareTo(right.Current.Value);
            if (byRune != 0)
                return byRune;
        }
    }
}
