using System.Runtime.InteropServices;

namespace SearchRerank.Core;

/// <summary>
/// Makes the entries of a folder durable: after a file is created or renamed, its data can be on disk while the
/// folder entry that names it is still only in memory, and a power loss then loses the file (POSIX needs an fsync of
/// the folder itself; .NET and Lucene.Net offer none). On Linux and macOS the folder is opened read-only and fsynced;
/// on Windows, whose file systems journal their metadata and refuse to open a folder this way, it does nothing.
/// </summary>
internal static partial class FolderSync
{
    /// <summary>Flushes the entries of <paramref name="folder"/> to disk.</summary>
    /// <exception cref="IOException">The folder cannot be opened or the flush fails (e.g. an I/O error of the disk).</exception>
    public static void Flush(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        var fd = Open(Path.GetFullPath(folder), ReadOnly);
        if (fd < 0)
            throw Failure("open", folder);
        try
        {
            if (Fsync(fd) != 0)
                throw Failure("fsync", folder);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string folder)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException($"{folder}: {call} of the folder failed: {Marshal.GetPInvokeErrorMessage(error)}", error);
    }

    private const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
