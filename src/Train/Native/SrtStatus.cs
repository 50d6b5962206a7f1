// SearchRerank — the single funnel from native status pointers to exceptions.
using System.Runtime.InteropServices;

namespace SearchRerank.Train.Native;

/// <summary>Turns an srt_status* into a <see cref="TrainerException"/> and always releases it.</summary>
internal static class SrtStatus
{
    /// <summary>Does nothing for NULL (success); otherwise throws with the native code, message and location.</summary>
    internal static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero)
            return;
        try
        {
            var code = (TrainerErrorCode)SrtNative.StatusCode(status);
            var message = Marshal.PtrToStringUTF8(SrtNative.StatusMessage(status)) ?? "";
            var file = Marshal.PtrToStringUTF8(SrtNative.StatusFile(status)) ?? "";
            var line = SrtNative.StatusLine(status);
            throw new TrainerException(code, message, file, line);
        }
        finally
        {
            SrtNative.StatusRelease(status);
        }
    }
}
