using System.Globalization;

namespace SearchRerank.Search.Scoring;

/// <summary>
/// Okapi BM25 (S. Robertson, S. Walker et al., "Okapi at TREC-3", 1994) in the form Lucene and Anserini use:
/// <c>idf = ln(1 + (N − df + 0.5) / (df + 0.5))</c> (never negative) and
/// <c>tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl))</c>.
/// Lucene ≥ 8 drops the constant (k1 + 1) factor and encodes dl lossily in one byte; this class keeps (k1 + 1)
/// and uses exact lengths, so rankings equal Lucene's up to length-quantisation ties and scores differ by the factor k1 + 1.
/// Defaults k1 = 0.9, b = 0.4 are Anserini's.
/// </summary>
public sealed class Bm25Similarity : ISimilarity
{
    public const double DefaultK1 = 0.9;
    public const double DefaultB = 0.4;

    public Bm25Similarity(double k1 = DefaultK1, double b = DefaultB)
    {
        if (!double.IsFinite(k1) || k1 < 0)
            throw new ArgumentOutOfRangeException(nameof(k1), $"BM25 k1 must be finite and non-negative, got {k1}");
        if (!double.IsFinite(b) || b < 0 || b > 1)
            throw new ArgumentOutOfRangeException(nameof(b), $"BM25 b must be in [0, 1], got {b}");
        K1 = k1;
        B = b;
    }

    public double K1 { get; }

    public double B { get; }

    public double Idf(long documentFrequency, long documentCount) =>
        Math.Log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));

    public double TermFrequencyFactor(double termFrequency, double documentLength, double averageDocumentLength)
    {
        // An empty collection has avgdl 0; no document can match then, but keep the arithmetic finite.
        var relativeLength = averageDocumentLength > 0 ? documentLength / averageDocumentLength : 1;
        return termFrequency * (K1 + 1) / (termFrequency + K1 * (1 - B + B * relativeLength));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"BM25(k1={K1},b={B})");
}
