namespace SearchRerank.Search.Index;

/// <summary>
/// Turns what Lucene throws on a damaged file (a corrupt-index or end-of-file error, or an out-of-range copy while
/// decompressing a garbled block) into one <see cref="SearchException"/> that says the index is damaged and what to
/// do, instead of a message such as "Specified argument was out of the range of valid values" that names nothing.
/// Wraps only reads of index files, never argument checks of the caller's own.
/// </summary>
internal static class IndexDamage
{
    public static T Guard<T>(string indexPath, string reading, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or IndexOutOfRangeException or OverflowException or InvalidCastException)
        {
            throw new SearchException($"index {indexPath} is damaged: {reading} failed ({ex.Message.Split('\n')[0].Trim()}); "
                                      + $"'searchrerank stats --index {indexPath} --check' tells which segments, and the index needs rebuilding", ex);
        }
    }
}
