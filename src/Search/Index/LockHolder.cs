using System.Globalization;

namespace SearchRerank.Search.Index;

/// <summary>
/// Which process holds a lock file, as far as the OS tells: on Linux, <c>/proc/locks</c> lists the PID of every
/// <c>flock</c> holder and <c>/proc/PID/fd</c> shows which of them has this file open. Elsewhere, or where
/// <c>/proc</c> may not be read (another user's process), the holder stays unknown.
/// </summary>
internal static class LockHolder
{
    /// <summary>E.g. <c>" (process 4242: searchrerank index --corpus …)"</c>, or an empty string when unknown.</summary>
    public static string Describe(string lockFile)
    {
        var pid = Find(Path.GetFullPath(lockFile));
        if (pid is null)
            return "";
        var command = CommandLine(pid.Value);
        return command.Length == 0 ? $" (process {pid})" : $" (process {pid}: {command})";
    }

    private static int? Find(string lockFile)
    {
        try
        {
            if (!File.Exists("/proc/locks"))
                return null;
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                // "1: FLOCK  ADVISORY  WRITE 4242 08:02:1315 0 EOF"; a waiting request is marked "->" and has no PID field here.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 5 || fields[1] != "FLOCK" || !int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    continue;
                if (HasOpen(pid, lockFile))
                    return pid;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static bool HasOpen(int pid, string file)
    {
        try
        {
            return System.IO.Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The holder's command line, shortened, without the dotnet host, the program by its name alone.</summary>
    private static string CommandLine(int pid)
    {
        try
        {
            var words = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (words.Count > 1 && Path.GetFileName(words[0]) == "dotnet")
                words.RemoveAt(0);
            if (words.Count > 0)
                words[0] = Path.GetFileNameWithoutExtension(words[0]);
            var text = string.Join(' ', words);
            return text.Length <= 120 ? text : text[..119] + "…";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
