namespace SearchRerank.Search;

/// <summary>
/// Reported by <see cref="Searcher.SearchAll"/> each time a query finishes (in any order), with that query's own
/// wall-clock latency so callers can compute percentiles.
/// </summary>
public sealed record SearchProgress(int Completed, int Total, TimeSpan Latency);
