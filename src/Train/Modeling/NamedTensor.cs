namespace SearchRerank.Train.Modeling;

/// <summary>
/// A dense float32 tensor in row-major order, as stored in a safetensors file or a model's weights.
/// The arrays are shared, not copied: callers that keep a tensor must not mutate the arrays they passed in.
/// </summary>
public sealed record NamedTensor
{
    public NamedTensor(long[] Shape, float[] Data)
    {
        ArgumentNullException.ThrowIfNull(Shape);
        ArgumentNullException.ThrowIfNull(Data);
        long count = ElementCountOf(Shape);
        if (count != Data.Length)
            throw new ArgumentException($"tensor of shape [{string.Join(", ", Shape)}] needs {count} values, got {Data.Length}", nameof(Data));
        this.Shape = Shape;
        this.Data = Data;
    }

    public long[] Shape { get; }

    public float[] Data { get; }

    public long ElementCount => Data.Length;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public static NamedTensor Zeros(params long[] shape) => new(shape, new float[checked((int)ElementCountOf(shape))]);

    /// <summary>Product of the dimensions; 1 for a scalar (empty shape). Negative dimensions are rejected.</summary>
    public static long ElementCountOf(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
                throw new ArgumentException($"negative dimension {dim} in shape [{string.Join(", ", shape)}]", nameof(shape));
            count = checked(count * dim);
        }
        return count;
    }

    public bool HasShape(params long[] shape) => Shape.AsSpan().SequenceEqual(shape);

    public override string ToString() => $"F32[{string.Join(", ", Shape)}]";
}
