namespace SearchRerank.Search.Index;

/// <summary>What an index records about how it was built: the analyzer (queries must use the same) and default BM25 parameters.</summary>
public sealed record IndexMetadata(string Analyzer, double K1, double B);
