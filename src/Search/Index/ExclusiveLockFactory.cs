using System.Runtime.InteropServices;
using Lucene.Net.Store;
using Lock = Lucene.Net.Store.Lock;

namespace SearchRerank.Search.Index;

/// <summary>
/// Lucene's write lock as an exclusive OS lock that no other process can share. Lucene.Net's
/// <see cref="NativeFSLockFactory"/> opens <c>write.lock</c> so that .NET on Linux takes only a shared
/// <c>flock</c>: a writer in a second process gets one too, and two writers then destroy the index. Here the lock is
/// <c>flock(LOCK_EX | LOCK_NB)</c> on Linux and macOS (a share-nothing open on Windows): the kernel refuses a second
/// holder in any process, including a Lucene application on its native lock, and releases the lock when its holder
/// dies, even by <c>kill -9</c>. The file itself is never deleted: a deleted lock file lets a third process lock a new
/// file of the same name while the first still holds the old one.
/// </summary>
internal sealed partial class ExclusiveLockFactory(string folder) : LockFactory
{
    /// <summary>
    /// The lock file <paramref name="lockName"/> of the folder, unprefixed: a Lucene application on its native lock uses
    /// the same <c>write.lock</c>, so the two exclude each other (the prefix Lucene sets would name another file).
    /// </summary>
    public override Lock MakeLock(string lockName) => new ExclusiveLock(Path.Combine(folder, lockName));

    /// <summary>Nothing to clear: a lock whose holder is gone is free, and the file stays (see the class remarks).</summary>
    public override void ClearLock(string lockName)
    {
    }

    private sealed partial class ExclusiveLock(string path) : Lock
    {
        private FileStream? held;

        public override bool Obtain()
        {
            if (held is not null)
                return false;
            FileStream stream;
            try
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                    OperatingSystem.IsWindows() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                // .NET's own shared flock on open fails while another process holds the exclusive one.
                FailureReason = ex;
                return false;
            }
            if (!OperatingSystem.IsWindows() && Flock(stream.SafeFileHandle, LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                stream.Dispose();
                if (error is WouldBlockLinux or WouldBlockMac)
                    return false;
                throw new IOException($"{path}: cannot lock: {Marshal.GetPInvokeErrorMessage(error)}", error);
            }
            held = stream;
            return true;
        }

        public override bool IsLocked()
        {
            if (held is not null)
                return true;
            if (!Obtain())
                return true;
            Dispose();
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && held is not null)
            {
                // Closing the file drops the flock; the file stays (see the class remarks).
                held.Dispose();
                held = null;
            }
        }

        public override string ToString() => $"ExclusiveLock@{path}";

        private const int LockExclusive = 2;
        private const int LockNonBlocking = 4;
        private const int WouldBlockLinux = 11;
        private const int WouldBlockMac = 35;

        [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
        private static partial int Flock(Microsoft.Win32.SafeHandles.SafeFileHandle fd, int operation);
    }
}
