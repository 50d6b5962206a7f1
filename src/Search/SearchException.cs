using SearchRerank.Core;

namespace SearchRerank.Search;

/// <summary>
/// An index cannot be used as asked: missing or incompatible index, a second writer, or an invalid option.
/// The message names the index directory and what was wrong. <see cref="IndexLockedException"/> and
/// <see cref="QueryException"/> single out the two cases a caller answers differently (a service: 409 and 400).
/// </summary>
public class SearchException : SearchRerankException
{
    public SearchException(string message) : base(message) { }

    public SearchException(string message, Exception inner) : base(message, inner) { }
}
