using SearchRerank.Search.Index;

namespace SearchRerank.Search;

/// <summary>
/// A summary of an index as last committed, for display. <see cref="DeletedDocuments"/> are replaced or deleted
/// documents still held in their segments: they count in the BM25 statistics (N, df, avgdl) until a merge drops them.
/// <see cref="Terms"/> counts the distinct terms of the search field (deleted documents' terms included until merged).
/// <see cref="Generation"/> is the commit generation (segments_N), one per commit.
/// </summary>
internal sealed record IndexStatistics(
    string Directory,
    IndexMetadata Metadata,
    long DocumentCount,
    long DeletedDocuments,
    long Terms,
    int Segments,
    long SizeBytes,
    long Generation);
