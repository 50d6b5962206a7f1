namespace SearchRerank.Core;

/// <summary>
/// One document of a collection as stored in the index: its external id and its raw title and text
/// (kept verbatim because the re-ranker reads them, not the analyzed terms). Title may be empty.
/// </summary>
public sealed record CorpusDocument(string Id, string Title, string Text)
{
    /// <summary>
    /// The passage a cross-encoder reads: <c>title + " " + text</c>, or the text alone when there is no title (the BEIR
    /// and sentence-transformers convention). Training, re-ranking and the pre-tokenized store all use this one rule,
    /// so stored token ids always equal what the re-ranker would tokenize.
    /// </summary>
    public static string TitleAndText(string title, string text) =>
        string.IsNullOrEmpty(title) ? text : title + " " + text;
}
