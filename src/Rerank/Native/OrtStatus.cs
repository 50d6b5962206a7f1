// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>The one funnel every ORT call's status goes through.</summary>
internal static class OrtStatus
{
    /// <summary>
    /// Does nothing for a null status (success); otherwise reads the code and message, releases the status and throws
    /// <see cref="OrtException"/>.
    /// </summary>
    internal static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero)
            return;
        var owned = new OrtStatusHandle(status);
        try
        {
            throw new OrtException(OrtNative.GetErrorCode(status), OrtNative.GetErrorMessage(status));
        }
        finally
        {
            owned.Dispose();
        }
    }
}
