using System.Text;

namespace SearchRerank.Core;

/// <summary>
/// Writes a file so that it appears complete or not at all: the content goes to a temporary sibling, is flushed to
/// disk, and is then renamed over the target, and the folder is flushed so the new name survives a power loss. A failure midway leaves the previous file (or nothing) in place.
/// Every project writes its outputs (runs, reports, models, configs) through here.
/// </summary>
public static class AtomicFile
{
    public static void WriteStream(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
            // The rename is durable only once the folder that records it is.
            FolderSync.Flush(directory);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>UTF-8 without BOM, "\n" line ends.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteStream(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            writer.NewLine = "\n";
            write(writer);
        });
    }

    public static void WriteAllText(string path, string content) => Write(path, writer => writer.Write(content));
}
