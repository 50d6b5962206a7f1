// SearchRerank — name and shape of one model parameter.
namespace SearchRerank.Train.Native;

/// <summary>A parameter of a <see cref="TorchModel"/>, with its Hugging Face name and shape (Linear weights [out, in]).</summary>
public sealed record ParameterInfo(string Name, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
