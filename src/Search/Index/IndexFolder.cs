using Lucene.Net.Index;
using Lucene.Net.Store;
using Directory = System.IO.Directory;

namespace SearchRerank.Search.Index;

/// <summary>
/// Recognises what a folder given as an index holds before Lucene touches it, so that every wrong folder gets one
/// line saying what it is and how to rebuild: missing or empty, an index of the SQLite format SearchRerank used before
/// Lucene (<c>index.sqlite</c>), a Lucene index built by another program, or not an index at all.
/// </summary>
internal static class IndexFolder
{
    private const string SqliteFile = "index.sqlite";

    public static string Rebuild(string path) => $"build one with 'searchrerank index --corpus FILE --index {path}'";

    /// <summary>Opens the SearchRerank index in <paramref name="path"/> for reading, with the data of its latest commit.</summary>
    /// <exception cref="SearchException">The folder holds no SearchRerank index; the message says what it holds.</exception>
    public static (FSDirectory Directory, IDictionary<string, string> CommitData) OpenExisting(string path)
    {
        if (!Directory.Exists(path))
            throw new SearchException($"no index in {path}: the folder does not exist; {Rebuild(path)}");
        RejectSqlite(path);
        var directory = FSDirectory.Open(path);
        try
        {
            if (!DirectoryReader.IndexExists(directory))
                throw new SearchException(Directory.EnumerateFileSystemEntries(path).Any()
                    ? $"{path} is not an index (no Lucene segments file among its files); {Rebuild(path)} into a new folder"
                    : $"no index in {path}: the folder is empty; {Rebuild(path)}");
            var data = IndexDamage.Guard(path, "reading the last commit", () => ReadCommitData(directory));
            if (!CommitData.IsSearchRerank(data))
                throw new SearchException($"{path} is a Lucene index that SearchRerank did not build (its commit data has no searchrerank.format); {Rebuild(path)} into a new folder");
            return (directory, data);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Checks that a writer may create or open an index in <paramref name="path"/> (missing, empty, or a SearchRerank index).</summary>
    public static void RequireWritable(string path)
    {
        if (!Directory.Exists(path))
            return;
        RejectSqlite(path);
        using var directory = FSDirectory.Open(path);
        if (DirectoryReader.IndexExists(directory))
        {
            if (!CommitData.IsSearchRerank(ReadCommitData(directory)))
                throw new SearchException($"{path} is a Lucene index that SearchRerank did not build (its commit data has no searchrerank.format); choose a new folder");
            return;
        }
        // Only Lucene's own lock file may be there (left by an index creation that never committed).
        var foreign = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).Where(name => name != "write.lock").ToArray();
        if (foreign.Length > 0)
            throw new SearchException($"{path} is not empty and holds no index (e.g. {foreign[0]}); choose a new or empty folder");
    }

    private static void RejectSqlite(string path)
    {
        if (File.Exists(Path.Combine(path, SqliteFile)))
            throw new SearchException($"{path} holds an index in the old SQLite format ({SqliteFile}), which this version cannot read; "
                                      + $"rebuild it: remove the folder, then 'searchrerank index --corpus FILE --index {path}'");
    }

    private static IDictionary<string, string> ReadCommitData(FSDirectory directory)
    {
        var infos = new SegmentInfos();
        infos.Read(directory);
        return infos.UserData;
    }
}
