// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>
/// An error reported by ONNX Runtime (a non-null <c>OrtStatus</c>), or by this binding when the library cannot be used.
/// The message starts with the error code so a log line alone says which class of failure it was.
/// </summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode errorCode, string message)
        : base($"[ONNX Runtime {errorCode}] {message}")
    {
        ErrorCode = errorCode;
        NativeMessage = message;
    }

    /// <summary>The code ORT attached to the status.</summary>
    public OrtErrorCode ErrorCode { get; }

    /// <summary>ORT's own message, without the code prefix.</summary>
    public string NativeMessage { get; }
}
