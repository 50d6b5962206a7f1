using System.Runtime.InteropServices;
using Google.Protobuf;
using SearchRerank.Core;
using SearchRerank.Train.Onnx.Proto;
using DataType = SearchRerank.Train.Onnx.Proto.TensorProto.Types.DataType;

namespace SearchRerank.Train.Onnx;

/// <summary>
/// Dynamic int8 quantization of an ONNX model's weight matrices, for faster CPU inference: every <c>MatMul</c>
/// whose right operand is a float32 weight matrix becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c>
/// with the weight stored as int8, symmetric per output column, and the activation quantized to uint8 per call
/// by the kernel. A bias <c>Add</c> that only follows the MatMul is folded into the node. Scores drift a little
/// from the float model's, which is why this is a separate, opt-in model file (see docs/benchmarks.md for the drift
/// measured on SciFact).
/// </summary>
public static class DynamicQuantizer
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string QuantizedOp = "DynamicQuantizeMatMul";

    /// <summary>Quantizes <paramref name="sourcePath"/> into <paramref name="targetPath"/> (written atomically).</summary>
    public static QuantizationSummary Quantize(string sourcePath, string targetPath, DynamicQuantizationOptions? options = null)
    {
        options ??= new DynamicQuantizationOptions();
        if (Path.GetFullPath(sourcePath) == Path.GetFullPath(targetPath))
            throw new ArgumentException($"{targetPath}: the quantized model must not overwrite its source");
        ModelProto model;
        try
        {
            using var input = File.OpenRead(sourcePath);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{sourcePath}: not an ONNX model ({ex.Message})", ex);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{sourcePath}: the ONNX model has no graph nodes");

        var summary = Rewrite(model.Graph, sourcePath, options);
        if (summary.QuantizedMatMuls == 0)
            throw new InvalidDataException($"{sourcePath}: no MatMul with a float32 weight matrix of at least {options.MinimumDimension}×{options.MinimumDimension} to quantize ({summary.SkippedMatMuls} MatMul nodes skipped)");
        if (!model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });

        AtomicFile.WriteStream(targetPath, stream => model.WriteTo(stream));
        return summary with { SourceBytes = new FileInfo(sourcePath).Length, TargetBytes = new FileInfo(targetPath).Length };
    }

    private static QuantizationSummary Rewrite(GraphProto graph, string path, DynamicQuantizationOptions options)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // Exporters write biases as initializers, Constant nodes, or Identity nodes over an equal initializer
        // (torch.onnx shares identical tensors that way).
        var constants = new Dictionary<string, TensorProto>(initializers, StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.Domain.Length == 0 && n.Output.Count == 1))
        {
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value })
                constants[node.Output[0]] = value;
            else if (node.OpType == "Identity" && node.Input.Count == 1 && constants.TryGetValue(node.Input[0], out var source))
                constants[node.Output[0]] = source;
        }
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
            foreach (var input in node.Input.Where(i => i.Length > 0))
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var quantized = new Dictionary<string, (string Weight, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var replacements = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance);
        var removed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var removedValues = new HashSet<string>(StringComparer.Ordinal);
        int matMuls = 0, skipped = 0, biases = 0;

        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length != 0)
                continue;
            if (node.Input.Count != 2 || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.DataType != (int)DataType.Float || weight.Dims.Count != 2
                || weight.Dims[0] < options.MinimumDimension || weight.Dims[1] < options.MinimumDimension)
            {
                skipped++;
                continue;
            }
            int rows = checked((int)weight.Dims[0]), columns = checked((int)weight.Dims[1]);
            if (!quantized.TryGetValue(weight.Name, out var q))
            {
                q = QuantizeWeight(graph, weight, FloatData(weight, path), rows, columns, options);
                quantized[weight.Name] = q;
            }

            var replacement = new NodeProto { Name = node.Name.Length > 0 ? node.Name + "_quant" : "", OpType = QuantizedOp, Domain = MicrosoftDomain };
            replacement.Input.Add([node.Input[0], q.Weight, q.Scale, q.ZeroPoint]);
            string output = node.Output[0];
            if (!graphOutputs.Contains(output) && consumers.TryGetValue(output, out var next) && next.Count == 1
                && next[0] is { OpType: "Add", Domain: "" } add && add.Input.Count == 2
                && (add.Input[0] == output ? add.Input[1] : add.Input[0]) is var other && other != output
                && constants.TryGetValue(other, out var b) && b.DataType == (int)DataType.Float && b.Dims.Count == 1 && b.Dims[0] == columns)
            {
                // The fused node takes the Add's place: there its bias (maybe a Constant node's output) already exists.
                replacement.Input.Add(other);
                replacement.Output.Add(add.Output[0]);
                replacements[add] = replacement;
                removed.Add(node);
                removedValues.Add(output);
                biases++;
            }
            else
            {
                replacement.Output.Add(output);
                replacements[node] = replacement;
            }
            matMuls++;
        }

        var rewritten = graph.Node.Where(n => !removed.Contains(n)).Select(n => replacements.GetValueOrDefault(n, n)).ToList();
        graph.Node.Clear();
        graph.Node.Add(rewritten);
        RemoveUnused(graph, quantized.Keys, removedValues);
        return new QuantizationSummary(matMuls, biases, skipped, quantized.Count, 0, 0);
    }

    private static (string Weight, string Scale, string ZeroPoint) QuantizeWeight(
        GraphProto graph, TensorProto weight, float[] data, int rows, int columns, DynamicQuantizationOptions options)
    {
        // Symmetric around zero so the int8 zero point is 0; per column because one output feature's large weights
        // would otherwise cost every other column its precision.
        float limit = options.WeightLimit;
        var scales = new float[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                scales[c] = MathF.Max(scales[c], MathF.Abs(data[r * columns + c]));
        for (int c = 0; c < columns; c++)
            scales[c] = scales[c] > 0 ? scales[c] / limit : 1f;
        var values = new sbyte[data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                values[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(data[r * columns + c] / scales[c]), -limit, limit);

        string name = UniqueName(graph, weight.Name + "_quantized");
        graph.Initializer.Add(Tensor(name, DataType.Int8, [rows, columns], MemoryMarshal.AsBytes(values.AsSpan())));
        string scale = UniqueName(graph, weight.Name + "_scale");
        graph.Initializer.Add(Tensor(scale, DataType.Float, [columns], MemoryMarshal.AsBytes(scales.AsSpan())));
        string zeroPoint = UniqueName(graph, weight.Name + "_zero_point");
        graph.Initializer.Add(Tensor(zeroPoint, DataType.Int8, [columns], new byte[columns]));
        return (name, scale, zeroPoint);
    }

    private static float[] FloatData(TensorProto tensor, string path)
    {
        long count = tensor.Dims.Aggregate(1L, (product, d) => product * d);
        if (tensor.RawData.Length == count * sizeof(float))
            return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        if (tensor.FloatData.Count == count)
            return tensor.FloatData.ToArray();
        throw new InvalidDataException($"{path}: initializer '{tensor.Name}' holds no {count} inline float values (external data files are not supported)");
    }

    /// <summary>Drops the float weights no node reads any more, and graph inputs or value infos of dropped values.</summary>
    private static void RemoveUnused(GraphProto graph, IEnumerable<string> weights, HashSet<string> removedValues)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        removedValues.UnionWith(weights.Where(w => !used.Contains(w)));
        // Filtered copies, not Remove(): protobuf messages compare by value, which would compare whole weight tensors.
        var keep = graph.Initializer.Where(t => !removedValues.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.Add(keep);
        // Models of old IR versions list initializers among the graph inputs too.
        var inputs = graph.Input.Where(v => !removedValues.Contains(v.Name)).ToList();
        graph.Input.Clear();
        graph.Input.Add(inputs);
        var infos = graph.ValueInfo.Where(v => !removedValues.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.Add(infos);
    }

    private static string UniqueName(GraphProto graph, string name)
    {
        var taken = graph.Initializer.Select(t => t.Name).Concat(graph.Node.SelectMany(n => n.Output)).Concat(graph.Input.Select(i => i.Name))
            .ToHashSet(StringComparer.Ordinal);
        string candidate = name;
        for (int n = 1; taken.Contains(candidate); n++)
            candidate = $"{name}_{n}";
        return candidate;
    }

    private static TensorProto Tensor(string name, DataType type, long[] dims, ReadOnlySpan<byte> data)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}

/// <summary>Choices of <see cref="DynamicQuantizer"/>.</summary>
public sealed record DynamicQuantizationOptions
{
    /// <summary>
    /// Weights in [−63, 63] instead of [−127, 127]: CPUs without VNNI multiply uint8 × int8 with an instruction
    /// whose 16-bit sums can saturate at full range; the reduced range avoids that at some precision cost. Default:
    /// reduced where this CPU can saturate (<see cref="Int8Saturation.OnThisCpu"/>), the usual case being a model
    /// quantized where it runs.
    /// </summary>
    public bool ReduceRange { get; init; } = Int8Saturation.OnThisCpu;

    /// <summary>The largest int8 weight magnitude the range allows.</summary>
    public int WeightLimit => ReduceRange ? 63 : 127;

    /// <summary>Smaller weight matrices (the one-logit classifier) stay float: quantizing them saves no time.</summary>
    public int MinimumDimension { get; init; } = 16;
}

/// <summary>What <see cref="DynamicQuantizer.Quantize"/> changed.</summary>
public sealed record QuantizationSummary(int QuantizedMatMuls, int FoldedBiases, int SkippedMatMuls, int QuantizedWeights, long SourceBytes, long TargetBytes);
