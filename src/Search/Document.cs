namespace SearchRerank.Search;

/// <summary>
/// One document of a collection as stored in the index: its external id and its raw title and text
/// (kept verbatim because the re-ranker reads them, not the analyzed terms). Title may be empty.
/// </summary>
public sealed record Document(string Id, string Title, string Text);
