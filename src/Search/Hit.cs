namespace SearchRerank.Search;

/// <summary>One ranked result of <see cref="Searcher.Search"/>: document id, first-stage score and the stored raw title and text.</summary>
public sealed record Hit(string DocId, double Score, string Title, string Text);
