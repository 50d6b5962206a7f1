namespace SearchRerank.Search;

/// <summary>The ranges BM25's parameters must lie in, checked alike wherever they are given (index or search options).</summary>
internal static class Bm25Parameters
{
    /// <exception cref="ArgumentOutOfRangeException">k1 is negative or not finite, or b is outside [0, 1].</exception>
    public static void Check(double? k1, double? b, string paramName)
    {
        if (k1 is { } k && (!double.IsFinite(k) || k < 0))
            throw new ArgumentOutOfRangeException(paramName, $"BM25 k1 must be finite and non-negative, got {k}");
        if (b is { } value && (!double.IsFinite(value) || value < 0 || value > 1))
            throw new ArgumentOutOfRangeException(paramName, $"BM25 b must be in [0, 1], got {value}");
    }
}
