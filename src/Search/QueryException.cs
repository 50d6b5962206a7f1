namespace SearchRerank.Search;

/// <summary>
/// A query that cannot be run as written: a Lucene syntax error, nesting too deep to parse, or more terms than a
/// query may expand to. The message, one line, starts with what was wrong; the index itself is fine.
/// </summary>
public sealed class QueryException : SearchException
{
    public QueryException(string message) : base(message) { }

    public QueryException(string message, Exception inner) : base(message, inner) { }
}
