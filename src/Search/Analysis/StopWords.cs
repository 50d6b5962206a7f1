using System.Collections.Frozen;

namespace SearchRerank.Search.Analysis;

/// <summary>Stopword sets. Built once; sets are immutable and safe to share across threads.</summary>
public static class StopWords
{
    /// <summary>
    /// The 33-word English list of Lucene's EnglishAnalyzer (ENGLISH_STOP_WORDS_SET), which Anserini's default
    /// English analyzer also uses. Kept identical so BM25 numbers are comparable with Anserini's.
    /// </summary>
    public static FrozenSet<string> English { get; } = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    }.ToFrozenSet(StringComparer.Ordinal);
}
