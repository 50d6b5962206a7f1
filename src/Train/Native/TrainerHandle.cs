// SearchRerank — owning handle of an srt_trainer.
using System.Runtime.InteropServices;

namespace SearchRerank.Train.Native;

/// <summary>Owns one srt_trainer; released by srt_trainer_release (before its model, see TorchTrainer).</summary>
internal sealed class TrainerHandle : SafeHandle
{
    public TrainerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        SrtNative.TrainerRelease(handle);
        return true;
    }
}
