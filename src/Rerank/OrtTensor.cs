// SearchRerank — MIT licence.
using SearchRerank.Rerank.Native;

namespace SearchRerank.Rerank;

/// <summary>
/// An ORT tensor over a managed array, without a copy: the array stays pinned until this object is disposed, and must
/// not be modified while a Run that uses it is in progress. Dispose it (the pin and the OrtValue are released together).
/// </summary>
public sealed class OrtTensor : IDisposable
{
    internal OrtTensor(OrtValueHandle handle, long[] shape, OrtElementType elementType)
    {
        Handle = handle;
        Shape = shape;
        ElementType = elementType;
    }

    internal OrtValueHandle Handle { get; }

    public long[] Shape { get; }

    public OrtElementType ElementType { get; }

    public void Dispose() => Handle.Dispose();
}
