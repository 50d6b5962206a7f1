using System.Runtime.InteropServices;
using Google.Protobuf;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx.Proto;

namespace SearchRerank.Train.Onnx;

/// <summary>
/// Appends nodes and initializers to an ONNX graph in topological order. Each node has one output, named
/// after the node, so a model reads like the code that built it; constants are shared by name.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    /// <summary>Declares a graph input of <paramref name="elementType"/>; string dims are symbolic (dynamic).</summary>
    public string Input(string name, TensorProto.Types.DataType elementType, params object[] dims)
    {
        Claim(name);
        Graph.Input.Add(ValueInfo(name, elementType, dims));
        return name;
    }

    public void Output(string value, TensorProto.Types.DataType elementType, params object[] dims) =>
        Graph.Output.Add(ValueInfo(value, elementType, dims));

    /// <summary>Adds a node with a single output named after the node and returns that output.</summary>
    public string Node(string opType, string name, string[] inputs, params AttributeProto[] attributes) =>
        NodeWithOutput(opType, name, name + "_output_0", inputs, attributes);

    /// <summary>Adds a node whose single output has a chosen name (for graph outputs) and returns it.</summary>
    public string NodeWithOutput(string opType, string name, string output, string[] inputs, params AttributeProto[] attributes)
    {
        Claim(name);
        Claim(output);
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>A float32 initializer holding <paramref name="data"/> (copied) with shape <paramref name="dims"/>.</summary>
    public string Initializer(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> data)
    {
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Initializer(string name, NamedTensor tensor) => Initializer(name, tensor.Shape, tensor.Data);

    /// <summary>A Linear weight <c>[out, in]</c> stored as <c>[in, out]</c>, the right operand of MatMul.</summary>
    public string TransposedInitializer(string name, NamedTensor tensor)
    {
        int rows = (int)tensor.Shape[0], cols = (int)tensor.Shape[1];
        var transposed = new float[tensor.Data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                transposed[c * rows + r] = tensor.Data[r * cols + c];
        return Initializer(name, [cols, rows], transposed);
    }

    /// <summary>A shared float scalar constant; the same name always means the same value.</summary>
    public string FloatScalar(string name, float value) =>
        names.Contains(name) ? name : Initializer(name, [], [value]);

    /// <summary>A shared int64 constant: a scalar when <paramref name="scalar"/>, else a 1-D tensor.</summary>
    public string Int64s(string name, long[] values, bool scalar = false)
    {
        if (names.Contains(name))
            return name;
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar)
            tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return name;
    }

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private void Claim(string name)
    {
        if (!names.Add(name))
            throw new InvalidOperationException($"ONNX graph value '{name}' is defined twice");
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
            shape.Dim.Add(dim switch
            {
                string param => new TensorShapeProto.Types.Dimension { DimParam = param },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"dimension {dim} must be a string (symbolic) or an integer", nameof(dims)),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }
}
