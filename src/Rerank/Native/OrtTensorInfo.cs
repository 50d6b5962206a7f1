// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>A model input or output as the session reports it; -1 in <see cref="Shape"/> marks a dynamic axis.</summary>
public sealed record OrtTensorInfo(string Name, OrtElementType ElementType, long[] Shape)
{
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(",", Shape)}]";
}
