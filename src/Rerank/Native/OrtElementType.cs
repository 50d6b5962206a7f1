// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>ONNX tensor element types (<c>ONNXTensorElementDataType</c>); keep in sync with onnxruntime_c_api.h.</summary>
public enum OrtElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
}
