// SearchRerank — MIT licence.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SearchRerank.Rerank.Native;

/// <summary>
/// ORT's log sink. ORT would print to stderr itself; libraries must not write to the console, so its messages are
/// routed here and handed to whoever subscribed to <see cref="Logged"/> (the CLI prints them, tests ignore them).
/// </summary>
public static class OrtLog
{
    /// <summary>Raised on ORT's thread for each message at or above the environment's severity (Warning).</summary>
    public static event Action<OrtLoggingLevel, string>? Logged;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void Forward(IntPtr param, int severity, IntPtr category, IntPtr logId, IntPtr codeLocation, IntPtr message)
    {
        try
        {
            var text = Marshal.PtrToStringUTF8(message) ?? "";
            Logged?.Invoke((OrtLoggingLevel)severity, text);
        }
        catch (Exception)
        {
            // An exception must never unwind into native code; a failing subscriber loses one log line.
        }
    }
}
