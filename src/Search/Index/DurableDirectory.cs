using Lucene.Net.Store;
using SearchRerank.Core;

namespace SearchRerank.Search.Index;

/// <summary>
/// The folder a writer commits into: Lucene's memory-mapped directory, locked by <see cref="ExclusiveLockFactory"/>,
/// whose <see cref="Sync"/> also flushes the folder itself. Lucene syncs the files of a commit and then
/// <c>segments_N</c>, but Lucene.Net never syncs the folder whose entries name them (Java Lucene does since 5.0), so a
/// power loss right after a commit could lose the new <c>segments_N</c> entry and fall back to the commit before.
/// </summary>
internal sealed class DurableDirectory : MMapDirectory
{
    private readonly Action<string> flushFolder;

    public DurableDirectory(string path) : this(path, FolderSync.Flush)
    {
    }

    /// <param name="path">The index folder.</param>
    /// <param name="flushFolder">Flushes the folder's entries (<see cref="FolderSync.Flush"/>; a recorder in tests).</param>
    internal DurableDirectory(string path, Action<string> flushFolder) : base(path, new ExclusiveLockFactory(path))
    {
        this.flushFolder = flushFolder;
    }

    public override void Sync(ICollection<string> names)
    {
        base.Sync(names);
        flushFolder(Directory.FullName);
    }
}
