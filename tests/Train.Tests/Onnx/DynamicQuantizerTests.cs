using System.Runtime.InteropServices;
using System.Text.Json;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Onnx;
using SearchRerank.Train.Onnx.Proto;
using SearchRerank.Train.Tests.Model;
using DataType = SearchRerank.Train.Onnx.Proto.TensorProto.Types.DataType;

namespace SearchRerank.Train.Tests.Onnx;

public class DynamicQuantizerTests
{
    private static (int[] Ids, int[] Types, float Logit)[] ReferenceScores() =>
        File.ReadLines(Path.Combine(ReferenceFiles.Reference, "scores.jsonl")).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return (root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("logit_onnxruntime").GetSingle());
        }).ToArray();

    [Fact]
    public void QuantizedReferenceModelRanksLikeTheFloatModel()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "int8");
        var summary = ModelFolder.Quantize(ReferenceFiles.TinyModel, target);

        // torch.onnx wrote the reference: biases reach their Add through Identity nodes, and all twelve fold in.
        Assert.Equal(12, summary.QuantizedMatMuls);
        Assert.Equal(12, summary.FoldedBiases);
        Assert.Equal(4, summary.SkippedMatMuls); // attention score and context products have no weight operand
        Assert.True(File.Exists(Path.Combine(target, "vocab.txt")) && File.Exists(Path.Combine(target, "config.json")));
        Assert.False(File.Exists(Path.Combine(target, "model.safetensors")));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".int8.partial-*", SearchOption.TopDirectoryOnly));

        var records = ReferenceScores();
        using var encoder = CrossEncoder.Load(target, new CrossEncoderOptions { BatchSize = 16, Threads = 1 });
        float[] logits = encoder.Predict(records.Select(r => new PairEncoding(r.Ids, r.Types, false)).ToList());
        double mean = records.Average(r => (double)r.Logit);
        double spread = Math.Sqrt(records.Average(r => (r.Logit - mean) * (r.Logit - mean)));
        double maxDiff = records.Select((r, i) => Math.Abs(r.Logit - logits[i])).Max();
        // Int8 weights and activations move scores by a few percent of their spread, never by their scale.
        Assert.True(maxDiff < 0.25 * spread, $"max |int8 − float| {maxDiff} vs score std {spread}");
        Assert.True(Pearson(records.Select(r => (double)r.Logit).ToArray(), logits.Select(l => (double)l).ToArray()) > 0.99);
    }

    [Fact]
    public void RangeIsReducedByDefaultWhereThisCpuCanSaturate()
    {
        Assert.Equal(Int8Saturation.OnThisCpu, new DynamicQuantizationOptions().ReduceRange);
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return;
        // Linux names both VNNI flavours; this CPU without either is the one the full range fails on.
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(!flags.Contains("avx512_vnni") && !flags.Contains("avx_vnni"), Int8Saturation.OnThisCpu);
    }

    [Fact]
    public void WeightsAreSymmetricPerColumnInt8AndTheFloatCopiesAreGone()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.onnx");
        DynamicQuantizer.Quantize(CrossEncoder.ModelFile(ReferenceFiles.TinyModel), path, new DynamicQuantizationOptions { ReduceRange = true });
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(CrossEncoder.ModelFile(ReferenceFiles.TinyModel)));

        Assert.Contains(model.OpsetImport, o => o.Domain == DynamicQuantizer.MicrosoftDomain && o.Version == 1);
        var nodes = model.Graph.Node.Where(n => n.OpType == DynamicQuantizer.QuantizedOp).ToList();
        Assert.Equal(12, nodes.Count);
        Assert.All(nodes, n => Assert.Equal(5, n.Input.Count));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "MatMul" && model.Graph.Initializer.Any(t => t.Name == n.Input[1]));

        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var originalWeights = original.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var node in nodes)
        {
            var q = initializers[node.Input[1]];
            Assert.Equal((int)DataType.Int8, q.DataType);
            var scales = MemoryMarshal.Cast<byte, float>(initializers[node.Input[2]].RawData.Span).ToArray();
            Assert.All(initializers[node.Input[3]].RawData.ToByteArray(), b => Assert.Equal(0, b));
            string source = node.Input[1][..^"_quantized".Length];
            Assert.False(initializers.ContainsKey(source), $"float weight {source} left behind");
            var w = MemoryMarshal.Cast<byte, float>(originalWeights[source].RawData.Span).ToArray();
            var values = MemoryMarshal.Cast<byte, sbyte>(q.RawData.Span).ToArray();
            int columns = scales.Length;
            Assert.Equal(w.Length, values.Length);
            Assert.Equal(63, values.Max(v => Math.Abs((int)v))); // reduce range: the largest weight of some column maps to ±63
            for (int i = 0; i < w.Length; i++)
                Assert.True(Math.Abs(values[i] * scales[i % columns] - w[i]) <= scales[i % columns] / 2 + 1e-7,
                    $"{source}[{i}]: {w[i]} stored as {values[i]} × {scales[i % columns]}");
        }
    }

    [Fact]
    public void KernelComputesTheDynamicQuantizationFormula()
    {
        // One MatMul + bias, checked against uint8-activation × int8-weight arithmetic done here by hand. Reduced-range
        // weights keep the products exact on CPUs without VNNI too, where full-range int16 sums may saturate.
        const int rows = 3, inner = 20, columns = 17;
        var random = new Random(7);
        float[] weights = Enumerable.Range(0, inner * columns).Select(_ => (float)(random.NextDouble() * 2 - 1) * (1 + random.Next(4))).ToArray();
        float[] bias = Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble()).ToArray();
        float[] x = Enumerable.Range(0, rows * inner).Select(_ => (float)(random.NextDouble() * 6 - 2)).ToArray();
        using var dir = new TempDirectory();
        string source = dir.File("matmul.onnx"), target = dir.File("matmul-int8.onnx");
        WriteMatMulModel(source, inner, columns, weights, bias);

        var summary = DynamicQuantizer.Quantize(source, target, new DynamicQuantizationOptions { ReduceRange = true });
        Assert.Equal((1, 1, 1), (summary.QuantizedMatMuls, summary.FoldedBiases, summary.QuantizedWeights));

        OnnxRuntimeEnvironment.EnsureCreated();
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(target, options);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [rows, inner]);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(runOptions, ["X"], [input], ["Y"]);
        float[] y = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var scales = new float[columns];
        for (int c = 0; c < columns; c++)
            scales[c] = Enumerable.Range(0, inner).Max(r => MathF.Abs(weights[r * columns + c])) / 63f;
        float min = MathF.Min(0, x.Min()), max = MathF.Max(0, x.Max());
        float xScale = (max - min) / 255f;
        int zeroPoint = (int)Math.Clamp(MathF.Round(-min / xScale), 0, 255);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                long sum = 0;
                for (int k = 0; k < inner; k++)
                {
                    int xq = (int)Math.Clamp(MathF.Round(x[r * inner + k] / xScale) + zeroPoint, 0, 255);
                    int wq = (int)MathF.Round(weights[k * columns + c] / scales[c]);
                    sum += (long)(xq - zeroPoint) * wq;
                }
                float expected = sum * xScale * scales[c] + bias[c];
                Assert.True(Math.Abs(expected - y[r * columns + c]) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                    $"Y[{r},{c}] = {y[r * columns + c]}, expected {expected}");
            }
    }

    [Fact]
    public void BadInputIsNamedAndLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        string garbage = dir.File("garbage.onnx");
        File.WriteAllBytes(garbage, [0xff, 0xff, 0xff, 0x07, 0x01]);
        var notOnnx = Assert.Throws<InvalidDataException>(() => DynamicQuantizer.Quantize(garbage, dir.File("out.onnx")));
        Assert.Contains(garbage, notOnnx.Message);
        Assert.False(File.Exists(dir.File("out.onnx")));

        // Weights too small to quantize: nothing to do is an error, not a silent copy.
        string small = dir.File("small.onnx");
        WriteMatMulModel(small, 4, 4, new float[16], new float[4]);
        var nothing = Assert.Throws<InvalidDataException>(() => DynamicQuantizer.Quantize(small, dir.File("out.onnx")));
        Assert.Contains("no MatMul", nothing.Message);
        Assert.False(File.Exists(dir.File("out.onnx")));

        Assert.Throws<ArgumentException>(() => DynamicQuantizer.Quantize(small, small));

        string occupied = Path.Combine(dir.Path, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep.txt"), "x");
        Assert.Throws<IOException>(() => ModelFolder.Quantize(ReferenceFiles.TinyModel, occupied));
        Assert.Equal(["keep.txt"], Directory.GetFiles(occupied).Select(Path.GetFileName));

        string noModel = Path.Combine(dir.Path, "no-model");
        Directory.CreateDirectory(noModel);
        File.Copy(ReferenceFiles.TinyConfig, Path.Combine(noModel, "config.json"));
        var missing = Assert.Throws<SearchRerank.Rerank.RerankException>(() => ModelFolder.Quantize(noModel, Path.Combine(dir.Path, "never")));
        Assert.Contains(noModel, missing.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "never")));
    }

    private static void WriteMatMulModel(string path, int inner, int columns, float[] weights, float[] bias)
    {
        var builder = new OnnxGraphBuilder("matmul");
        string x = builder.Input("X", DataType.Float, "rows", inner);
        string product = builder.Node("MatMul", "MatMul", [x, builder.Initializer("W", [inner, columns], weights)]);
        string y = builder.NodeWithOutput("Add", "Add", "Y", [builder.Initializer("B", [columns], bias), product]);
        builder.Output(y, DataType.Float, "rows", columns);
        var model = new ModelProto { IrVersion = 8, Graph = builder.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
    }

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
