namespace SearchRerank.Core;

/// <summary>
/// Malformed input data (queries, qrels, runs). The message always starts with the location,
/// <c>path:line: message</c> (or <c>path: message</c> when the problem is not tied to one line),
/// so the CLI can print it as is.
/// </summary>
public sealed class DataFormatException : SearchRerankException
{
    public DataFormatException(string path, long line, string message)
        : base(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file the problem was found in.</summary>
    public string Path { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public long Line { get; }
}
