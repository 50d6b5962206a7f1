// SearchRerank — failure reported by the native training engine.
namespace SearchRerank.Train.Native;

/// <summary>
/// A failure inside libsrtrain. <see cref="NativeFile"/>:<see cref="NativeLine"/> name the C++ source line that
/// raised it; the message starts with the code, e.g. <c>NonFinite: loss is nan (src/trainer.cpp:120)</c>.
/// </summary>
public sealed class TrainerException : Exception
{
    public TrainerException(TrainerErrorCode code, string message, string nativeFile, int nativeLine)
        : base($"{code}: {message} ({nativeFile}:{nativeLine})")
    {
        Code = code;
        NativeFile = nativeFile;
        NativeLine = nativeLine;
    }

    public TrainerErrorCode Code { get; }

    public string NativeFile { get; }

    public int NativeLine { get; }
}
