// SearchRerank — error codes of the training engine.
namespace SearchRerank.Train.Native;

/// <summary>Mirrors srt_code in srtrain.h; keep in sync.</summary>
public enum TrainerErrorCode
{
    Ok = 0,
    /// <summary>A bad value from the caller: shape, name, option, label.</summary>
    InvalidArgument = 1,
    /// <summary>Unknown parameter name.</summary>
    NotFound = 2,
    /// <summary>Loss or gradient norm is NaN/Inf; no optimizer step was taken, weights are unchanged.</summary>
    NonFinite = 3,
    /// <summary>Checkpoint file could not be read or written.</summary>
    Io = 4,
    /// <summary>The requested device is unavailable.</summary>
    Device = 5,
    /// <summary>Any other libtorch/C++ failure.</summary>
    Internal = 6,
}
