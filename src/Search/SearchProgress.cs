namespace SearchRerank.Search;

/// <summary>Reported by <see cref="Searcher.SearchAll"/> as queries finish (in any order).</summary>
public sealed record SearchProgress(int Completed, int Total);
