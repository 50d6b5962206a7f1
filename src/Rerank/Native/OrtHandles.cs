// SearchRerank — MIT licence.
using System.Runtime.InteropServices;

namespace SearchRerank.Rerank.Native;

/// <summary>
/// Base of the owning handles to ORT objects: zero is invalid, and <see cref="SafeHandle.Dispose()"/> (or the finalizer)
/// calls the matching Release function exactly once, even if a Run on another thread still holds a reference.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a pointer ORT just returned.</summary>
    internal void Attach(IntPtr pointer) => SetHandle(pointer);
}

internal sealed class OrtEnvHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OrtNative.ReleaseEnv(handle);
        return true;
    }
}

internal sealed class OrtSessionOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OrtNative.ReleaseSessionOptions(handle);
        return true;
    }
}

internal sealed class OrtSessionHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OrtNative.ReleaseSession(handle);
        return true;
    }
}

internal sealed class OrtMemoryInfoHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OrtNative.ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary>An OrtValue; when it wraps managed memory it also owns the pin that keeps that memory in place.</summary>
internal sealed class OrtValueHandle : OrtHandle
{
    private GCHandle pin;

    internal void Attach(IntPtr pointer, GCHandle pinnedBuffer)
    {
        pin = pinnedBuffer;
        SetHandle(pointer);
    }

    protected override bool ReleaseHandle()
    {
        // The value first: ORT must be done with the buffer before the GC may move it.
        OrtNative.ReleaseValue(handle);
        if (pin.IsAllocated)
            pin.Free();
        return true;
    }
}

/// <summary>A non-null OrtStatus; released when disposed (see <see cref="OrtStatus.Check"/>).</summary>
internal sealed class OrtStatusHandle : OrtHandle
{
    internal OrtStatusHandle(IntPtr status) => SetHandle(status);

    protected override bool ReleaseHandle()
    {
        OrtNative.ReleaseStatus(handle);
        return true;
    }
}

/// <summary>
/// Keeps a handle alive for the duration of a native call (AddRef/Release), so a concurrent Dispose cannot free the
/// object while ORT is using it.
/// </summary>
internal readonly ref struct HandleUse
{
    private readonly SafeHandle handle;
    private readonly bool added;

    public HandleUse(SafeHandle handle)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed || handle.IsInvalid, handle);
        this.handle = handle;
        var ok = false;
        handle.DangerousAddRef(ref ok);
        added = ok;
        Pointer = handle.DangerousGetHandle();
    }

    public IntPtr Pointer { get; }

    public void Dispose()
    {
        if (added)
            handle.DangerousRelease();
    }
}
