namespace SearchRerank.Search.Index;

/// <summary>
/// How an index was built, as its commit data records it: the analyzer (queries must use the same) and the default
/// BM25 parameters a searcher scores with unless told otherwise (Anserini's 0.9 and 0.4 unless chosen at index time).
/// </summary>
public sealed record IndexMetadata(string Analyzer, double K1, double B)
{
    public const double DefaultK1 = 0.9;
    public const double DefaultB = 0.4;
}
