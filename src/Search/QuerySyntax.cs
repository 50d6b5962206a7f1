namespace SearchRerank.Search;

/// <summary>How a <see cref="Searcher"/> reads query text.</summary>
public enum QuerySyntax
{
    /// <summary>Free text: analysed into a bag of words (<see cref="FreeTextQuery"/>); never a syntax error.</summary>
    FreeText,

    /// <summary>
    /// Lucene's classic query syntax (QueryParser: <c>"phrases"</c>, <c>+must -not</c>, <c>AND/OR</c>, <c>term^2</c>,
    /// <c>prefix*</c>, <c>field:term</c>), default field <see cref="Index.IndexSchema.Contents"/>, default operator OR.
    /// A malformed query is a <see cref="SearchException"/> with a one-line message.
    /// </summary>
    Lucene,
}
