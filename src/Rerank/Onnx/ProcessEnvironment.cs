using System.Runtime.InteropServices;

namespace SearchRerank.Rerank.Onnx;

/// <summary>
/// The C library's environment of this process. .NET keeps its own copy of the environment on Linux and macOS, so a
/// variable set with <see cref="Environment.SetEnvironmentVariable(string, string)"/> is invisible to native code's
/// <c>getenv</c>; a setting meant for a native library has to go through <c>setenv</c>.
/// </summary>
internal static partial class ProcessEnvironment
{
    /// <summary>Sets <paramref name="name"/> for native code unless the process was started with it (any value).</summary>
    public static void SetIfUnset(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            return;
        if (SetEnv(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
