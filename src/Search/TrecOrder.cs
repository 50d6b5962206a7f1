namespace SearchRerank.Search;

/// <summary>
/// trec_eval's ranking order (form_res_rels.c, and <see cref="Core.Run.Ranked"/>): higher score first, and on equal
/// scores the larger document id first, ids compared by their UTF-8 bytes. The first stage, the re-ranker and run
/// files all sort this way, so cutting a ranking to k and writing it as a run agree.
/// </summary>
internal static class TrecOrder
{
    /// <summary>Negative when (<paramref name="scoreX"/>, <paramref name="idX"/>) ranks before (<paramref name="scoreY"/>, <paramref name="idY"/>).</summary>
    public static int Compare(double scoreX, string idX, double scoreY, string idY)
    {
        var byScore = scoreY.CompareTo(scoreX);
        return byScore != 0 ? byScore : CompareIds(idY, idX);
    }

    /// <summary>Ordinal comparison of the UTF-8 encodings, which is code point order (UTF-16 ordinal order differs above the surrogates).</summary>
    public static int CompareIds(string x, string y)
    {
        var left = x.EnumerateRunes();
        var right = y.EnumerateRunes();
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
