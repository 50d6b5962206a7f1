namespace SearchRerank.Search;

/// <summary>Which scorer a <see cref="Searcher"/> uses.</summary>
public enum RankingFunction
{
    /// <summary>BM25 computed by this library from FTS5's postings, with settable k1, b and title weight.</summary>
    Bm25,

    /// <summary>
    /// SQLite FTS5's built-in bm25() over an OR of the query terms: k1 = 1.2 and b = 0.75 fixed, per-column scores
    /// summed with the title weight. Kept as the baseline the library's own BM25 is measured against.
    /// </summary>
    Fts5Bm25,
}
