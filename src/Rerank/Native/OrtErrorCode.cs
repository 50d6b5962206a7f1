// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>
/// ONNX Runtime's <c>OrtErrorCode</c>. Keep in sync with the enum of the same name in onnxruntime_c_api.h
/// (ORT 1.30.0): the numeric values cross the native boundary unchanged.
/// </summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,
    DeviceReset = 15,
}
