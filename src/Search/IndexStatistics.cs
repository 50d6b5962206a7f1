using SearchRerank.Search.Index;

namespace SearchRerank.Search;

/// <summary>A summary of an index for display: size, lengths, vocabulary and how it was built.</summary>
public sealed record IndexStatistics(
    string Directory,
    IndexMetadata Metadata,
    long DocumentCount,
    double AverageTitleLength,
    double AverageTextLength,
    long VocabularySize,
    long SizeBytes,
    long Generation);
