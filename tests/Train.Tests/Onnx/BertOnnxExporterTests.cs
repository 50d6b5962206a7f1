using System.Runtime.InteropServices;
using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx;
using SearchRerank.Train.Onnx.Proto;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Onnx;

public class BertOnnxExporterTests
{
    private sealed record ScoreRecord(string Id, int[] InputIds, int[] TokenTypeIds, float LogitOnnxRuntime);

    private static readonly Lazy<List<ScoreRecord>> Scores = new(() =>
        File.ReadLines(Path.Combine(ReferenceFiles.Reference, "scores.jsonl")).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return new ScoreRecord(
                root.GetProperty("id").GetString()!,
                root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("logit_onnxruntime").GetSingle());
        }).ToList());

    /// <summary>A model directory: the reference tokenizer files plus config.json and model.onnx exported from <paramref name="weights"/>.</summary>
    private static void WriteModel(string directory, BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights)
    {
        foreach (string file in ModelFolder.TokenizerFiles)
            File.Copy(Path.Combine(ReferenceFiles.TinyModel, file), Path.Combine(directory, file));
        config.Write(Path.Combine(directory, "config.json"));
        BertOnnxExporter.Export(config, weights, Path.Combine(directory, "model.onnx"));
    }

    private static List<PairEncoding> Encodings(IEnumerable<ScoreRecord> records) =>
        records.Select(r => new PairEncoding(r.InputIds, r.TokenTypeIds, false)).ToList();

    [Fact]
    public void ReferenceModelReproducesOnnxRuntimeLogits()
    {
        using var dir = new TempDirectory();
        var config = BertConfig.Read(ReferenceFiles.TinyConfig);
        WriteModel(dir.Path, config, SafeTensors.Read(ReferenceFiles.TinyWeights));

        // Batches of 16 mix lengths, so padding and the attention mask are exercised too.
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { BatchSize = 16, Threads = 1 });
        var records = Scores.Value;
        float[] logits = encoder.Predict(Encodings(records));

        Assert.Equal(385, records.Count);
        for (int i = 0; i < records.Count; i++)
            Assert.True(Math.Abs(logits[i] - records[i].LogitOnnxRuntime) <= 1e-4,
                $"{records[i].Id}: exported model gives {logits[i]}, reference ONNX Runtime {records[i].LogitOnnxRuntime}");
    }

    [Fact]
    public void GraphDeclaresDynamicInputsAndKeepsEveryWeight()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.onnx");
        var weights = SafeTensors.Read(ReferenceFiles.TinyWeights);
        BertOnnxExporter.Export(BertConfig.Read(ReferenceFiles.TinyConfig), weights, path);

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Graph.Input.Select(i => i.Name));
        foreach (var input in model.Graph.Input)
        {
            Assert.Equal((int)TensorProto.Types.DataType.Int64, input.Type.TensorType.ElemType);
            Assert.Equal(["batch_size", "sequence_length"], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        }
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal("logits", output.Name);
        Assert.Equal("batch_size", output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(1, output.Type.TensorType.Shape.Dim[1].DimValue);

        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var (name, tensor) in weights)
        {
            bool linear = tensor.Shape.Length == 2 && name.StartsWith("bert.encoder.", StringComparison.Ordinal);
            var stored = initializers[linear ? name + ".transposed" : name];
            var values = MemoryMarshal.Cast<byte, float>(stored.RawData.Span).ToArray();
            if (linear)
            {
                Assert.Equal(new[] { tensor.Shape[1], tensor.Shape[0] }, stored.Dims);
                int rows = (int)tensor.Shape[0], cols = (int)tensor.Shape[1];
                for (int r = 0; r < rows; r += 7)
                    for (int c = 0; c < cols; c += 5)
                        Assert.Equal(tensor.Data[r * cols + c], values[c * rows + r]);
            }
            else
            {
                Assert.Equal(tensor.Shape, stored.Dims);
                Assert.Equal(tensor.Data, values);
            }
        }
    }

    [Fact]
    public void ExactMatchChannelIsDeclaredAndWiredIn()
    {
        var baseConfig = BertConfig.Read(ReferenceFiles.TinyConfig);
        var config = baseConfig with { ExactMatch = true };
        var weights = new Dictionary<string, NamedTensor>(SafeTensors.Read(ReferenceFiles.TinyWeights))
        {
            [BertParameters.ExactMatchEmbeddings] = NamedTensor.Zeros(2, config.HiddenSize),
        };
        var records = Scores.Value.Where((_, i) => i % 10 == 0).ToList();

        using var zero = new TempDirectory();
        WriteModel(zero.Path, config, weights);
        var declared = ModelProto.Parser.ParseFrom(File.ReadAllBytes(zero.File("model.onnx"))).Graph.Input.Select(i => i.Name);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids", "exact_match_ids"], declared);
        using (var encoder = CrossEncoder.Load(zero.Path, new CrossEncoderOptions { Threads = 1 }))
        {
            // A zero exact-match table adds nothing: the reference logits come out.
            float[] logits = encoder.Predict(Encodings(records));
            for (int i = 0; i < records.Count; i++)
                Assert.True(Math.Abs(logits[i] - records[i].LogitOnnxRuntime) <= 1e-4, $"{records[i].Id}: {logits[i]} vs {records[i].LogitOnnxRuntime}");
        }

        // Row 1 (token matched in the other segment) now moves matched tokens' embeddings, so scores must move.
        // Not a constant vector: the embedding LayerNorm would cancel that.
        var shifted = weights[BertParameters.ExactMatchEmbeddings].Data;
        for (int i = 0; i < config.HiddenSize; i++)
            shifted[config.HiddenSize + i] = i % 2 == 0 ? 0.5f : -0.5f;
        using var nonzero = new TempDirectory();
        WriteModel(nonzero.Path, config, weights);
        using var moved = CrossEncoder.Load(nonzero.Path, new CrossEncoderOptions { Threads = 1 });
        float[] movedLogits = moved.Predict(Encodings(records));
        Assert.Contains(movedLogits.Select((v, i) => Math.Abs(v - records[i].LogitOnnxRuntime)), d => d > 1e-2);
    }

    [Fact]
    public void ExportDirectoryRewritesModelOnnx()
    {
        using var dir = new TempDirectory();
        var config = new BertConfig { VocabSize = 30522, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 4, IntermediateSize = 64, MaxPositionEmbeddings = 64 };
        foreach (string file in ModelFolder.TokenizerFiles)
            File.Copy(Path.Combine(ReferenceFiles.TinyModel, file), dir.File(file));
        config.Write(dir.File("config.json"));
        SafeTensors.Write(dir.File("model.safetensors"), BertInitializer.Create(config, seed: 3));
        File.WriteAllText(dir.File("model.onnx"), "stale");

        string written = BertOnnxExporter.ExportDirectory(dir.Path);

        Assert.Equal(dir.File("model.onnx"), written);
        Assert.Equal(["config.json", "model.onnx", "model.safetensors"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(f => !ModelFolder.TokenizerFiles.Contains(f)).Order());
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { MaxLength = 64, Threads = 1 });
        float[] scores = encoder.Predict([("what is bm25", "a ranking function"), ("what is bm25", "a ranking function")]);
        Assert.Equal(2, scores.Length);
        Assert.True(float.IsFinite(scores[0]));
        Assert.Equal(scores[0], scores[1]);
    }

    [Fact]
    public void MissingOrMisshapenWeightsNameTheTensorAndWriteNothing()
    {
        using var dir = new TempDirectory();
        var config = BertConfig.Read(ReferenceFiles.TinyConfig);
        var weights = new Dictionary<string, NamedTensor>(SafeTensors.Read(ReferenceFiles.TinyWeights));
        weights.Remove("bert.encoder.layer.1.output.dense.bias");

        var missing = Assert.Throws<DataFormatException>(() => BertOnnxExporter.Export(config, weights, dir.File("model.onnx"), "w.safetensors"));
        Assert.Equal("w.safetensors", missing.Path);
        Assert.Contains("'bert.encoder.layer.1.output.dense.bias' is missing", missing.Message);

        weights["bert.encoder.layer.1.output.dense.bias"] = NamedTensor.Zeros(64);
        var shape = Assert.Throws<DataFormatException>(() => BertOnnxExporter.Export(config, weights, dir.File("model.onnx"), "w.safetensors"));
        Assert.Contains("'bert.encoder.layer.1.output.dense.bias' has shape [64], config expects [128]", shape.Message);

        var exact = Assert.Throws<DataFormatException>(() => BertOnnxExporter.Export(config with { ExactMatch = true }, SafeTensors.Read(ReferenceFiles.TinyWeights), dir.File("model.onnx"), "w.safetensors"));
        Assert.Contains($"'{BertParameters.ExactMatchEmbeddings}' is missing", exact.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ExportDirectoryWithoutWeightsNamesTheFile()
    {
        using var dir = new TempDirectory();
        BertConfig.Read(ReferenceFiles.TinyConfig).Write(dir.File("config.json"));
        var ex = Assert.Throws<FileNotFoundException>(() => BertOnnxExporter.ExportDirectory(dir.Path));
        Assert.Contains("model.safetensors", ex.Message);
    }
}
