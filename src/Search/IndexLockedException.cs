namespace SearchRerank.Search;

/// <summary>Another writer, in this or another process, holds the index; the message names it where the OS tells.</summary>
public sealed class IndexLockedException : SearchException
{
    public IndexLockedException(string message) : base(message) { }

    public IndexLockedException(string message, Exception inner) : base(message, inner) { }
}
