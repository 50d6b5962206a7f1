using System.Text.Json;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Onnx;

/// <summary>The exported graph computes what the TorchSharp model trains: same weights, same logits.</summary>
[Collection(TorchCollection.Name)]
public class TorchParityTests
{
    private static readonly string[] TokenizerFiles = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

    [Fact]
    public void ExportedModelMatchesLibtorchForwardWithExactMatch()
    {
        var config = new BertConfig
        {
            VocabSize = 30522, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
            IntermediateSize = 128, MaxPositionEmbeddings = 256, ExactMatch = true,
        };
        using var torch = BertForSequenceClassification.Create(config, seed: 11);
        var weights = torch.Weights();
        // The model and the exporter must agree on every name and shape.
        BertParameters.Check(config, weights, "TorchSharp model");

        // Random init barely depends on the input; sharpen it as the reference model does so the comparison bites.
        foreach (var (name, tensor) in weights)
        {
            float scale = name.Contains(".attention.") && name.EndsWith(".weight") && !name.Contains("LayerNorm") ? 5f
                : name is "bert.pooler.dense.weight" or "classifier.weight" or BertParameters.ExactMatchEmbeddings ? 20f : 1f;
            for (int i = 0; i < tensor.Data.Length; i++)
                tensor.Data[i] *= scale;
        }
        torch.LoadWeights(weights, "scaled weights");

        using var dir = new TempDirectory();
        foreach (string file in TokenizerFiles)
            File.Copy(Path.Combine(ReferenceFiles.TinyModel, file), dir.File(file));
        config.Write(dir.File("config.json"));
        BertOnnxExporter.Export(config, weights, dir.File("model.onnx"));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { BatchSize = 8, Threads = 1 });

        var encodings = File.ReadLines(Path.Combine(ReferenceFiles.Reference, "scores.jsonl")).Where((_, i) => i % 8 == 0).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            int[] Ints(string field) => doc.RootElement.GetProperty(field).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            return new PairEncoding(Ints("input_ids"), Ints("token_type_ids"), false);
        }).ToList();
        float[] onnx = encoder.Predict(encodings);

        var flags = encodings.Select(e => ExactMatch.Flags(e, encoder.Tokenizer)).ToList();
        Assert.Contains(flags, f => f.Contains(1));
        var libtorch = new List<float>();
        for (int start = 0; start < encodings.Count; start += 8)
        {
            var chunk = Enumerable.Range(start, Math.Min(8, encodings.Count - start)).ToList();
            libtorch.AddRange(torch.Score(EncodedBatch.Pad(
                chunk.Select(i => encodings[i].InputIds).ToList(),
                chunk.Select(i => encodings[i].TokenTypeIds).ToList(),
                chunk.Select(i => flags[i]).ToList())));
        }

        Assert.True(onnx.Max() - onnx.Min() > 0.1, $"logits barely depend on the input: {onnx.Min()}..{onnx.Max()}");
        for (int i = 0; i < encodings.Count; i++)
            Assert.True(Math.Abs(onnx[i] - libtorch[i]) <= 1e-4, $"pair {i}: ONNX {onnx[i]}, TorchSharp {libtorch[i]}");
    }
}
