namespace SearchRerank.Search;

/// <summary>
/// An index cannot be used as asked: missing or incompatible index, a second writer, or an invalid option.
/// The message names the index directory and what was wrong.
/// </summary>
public sealed class SearchException : Exception
{
    public SearchException(string message) : base(message) { }

    public SearchException(string message, Exception inner) : base(message, inner) { }
}
