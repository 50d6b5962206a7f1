// SearchRerank — owning handle of an srt_model.
using System.Runtime.InteropServices;

namespace SearchRerank.Train.Native;

/// <summary>Owns one srt_model; released by srt_model_release.</summary>
internal sealed class ModelHandle : SafeHandle
{
    public ModelHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        SrtNative.ModelRelease(handle);
        return true;
    }
}
