using System.Globalization;

namespace SearchRerank.Search.Index;

/// <summary>
/// How far an import of one corpus file got, as recorded in a commit: the file (full path), its stamp (size and last
/// write time, so an edited file is never resumed into), how many of its documents the commit holds, and whether the
/// import finished. A re-run of an unfinished import of the same, unchanged file skips those documents.
/// </summary>
internal sealed record ImportCheckpoint(string Source, string Stamp, long Documents, bool Complete)
{
    public static ImportCheckpoint Start(string corpusPath)
    {
        var file = new FileInfo(corpusPath);
        var stamp = string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{file.LastWriteTimeUtc.Ticks}");
        return new ImportCheckpoint(file.FullName, stamp, 0, false);
    }

    /// <summary>True when this is a finished import of <paramref name="next"/>'s file, unchanged since.</summary>
    public bool IsFinishedImportOf(ImportCheckpoint next) => Complete && Source == next.Source && Stamp == next.Stamp;

    /// <summary>Documents of <paramref name="next"/>'s file that an earlier, unfinished import already committed.</summary>
    public long CommittedOf(ImportCheckpoint next) =>
        !Complete && Source == next.Source && Stamp == next.Stamp ? Documents : 0;
}
