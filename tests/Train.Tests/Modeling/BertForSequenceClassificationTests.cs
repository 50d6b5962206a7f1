using System.Text.Json;
using SearchRerank.Train.Native;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Engine;

[Collection(EngineCollection.Name)]
public sealed class ForwardTests
{
    private sealed record ScoreRecord(string Id, int[] InputIds, int[] TokenTypeIds, double LogitTorch, double LogitTorchBatched);

    private static List<ScoreRecord> ReadScores()
    {
        var records = new List<ScoreRecord>();
        foreach (var line in File.ReadLines(Path.Combine(ReferenceFiles.Reference, "scores.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            records.Add(new ScoreRecord(
                root.GetProperty("id").GetString()!,
                root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("logit_torch").GetDouble(),
                root.GetProperty("logit_torch_batched").GetDouble()));
        }
        return records;
    }

    [Fact]
    public void ReferenceModelReproducesPyTorchLogitsOneByOne()
    {
        using var model = TinyModels.LoadReference();
        var records = ReadScores();
        Assert.Equal(385, records.Count);
        // Every 5th record: tricky and SciFact pairs, lengths from 3 to 256.
        foreach (var r in records.Where((_, i) => i % 5 == 0))
        {
            var logits = model.Forward(EncodedBatch.Pad([r.InputIds], [r.TokenTypeIds]));
            Assert.True(Math.Abs(logits[0] - r.LogitTorch) < 1e-4, $"{r.Id}: engine {logits[0]}, PyTorch {r.LogitTorch}");
        }
    }

    [Fact]
    public void ReferenceModelReproducesPaddedBatches()
    {
        using var model = TinyModels.LoadReference();
        var records = ReadScores();
        // Batches of 16 consecutive records, right-padded, as the reference; the first, a middle and the last one.
        foreach (int start in new[] { 0, 192, 384 })
        {
            var batch = records.Skip(start).Take(16).ToList();
            var logits = model.Forward(EncodedBatch.Pad(batch.Select(r => r.InputIds).ToList(), batch.Select(r => r.TokenTypeIds).ToList()));
            Assert.Equal(batch.Count, logits.Length);
            for (int i = 0; i < batch.Count; i++)
                Assert.True(Math.Abs(logits[i] - batch[i].LogitTorchBatched) < 1e-4, $"{batch[i].Id}: engine {logits[i]}, PyTorch {batch[i].LogitTorchBatched}");
        }
    }

    [Fact]
    public void ParametersHaveHuggingFaceNamesAndShapes()
    {
        using var model = TorchModel.Create(TinyModels.Small(exactMatch: true), seed: 7);
        var names = model.Parameters.Select(p => p.Name).ToList();
        Assert.Equal(4 + 2 + 2 * 16 + 4, names.Count);
        Assert.Equal("bert.embeddings.word_embeddings.weight", names[0]);
        Assert.Contains("bert.embeddings.exact_match_embeddings.weight", names);
        Assert.Contains("bert.encoder.layer.1.attention.output.LayerNorm.bias", names);
        Assert.Equal([1L, 16L], model.Parameters.Single(p => p.Name == "classifier.weight").Shape);
        Assert.Equal([32L, 16L], model.Parameters.Single(p => p.Name == "bert.encoder.layer.0.intermediate.dense.weight").Shape);
        Assert.Equal([2L, 16L], model.Parameters.Single(p => p.Name == "bert.embeddings.exact_match_embeddings.weight").Shape);
    }

    [Fact]
    public void InitialisationFollowsHuggingFace()
    {
        using var model = TorchModel.Create(new SearchRerank.Train.Model.BertConfig { NumHiddenLayers = 1, HiddenSize = 64, NumAttentionHeads = 2, IntermediateSize = 128 }, seed: 3);
        var word = model.GetParameter("bert.embeddings.word_embeddings.weight");
        Assert.All(word.AsSpan(0, 64).ToArray(), v => Assert.Equal(0f, v)); // [PAD] row
        double mean = word.Skip(64).Average(v => (double)v);
        double std = Math.Sqrt(word.Skip(64).Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(std, 0.0195, 0.0205);
        Assert.All(model.GetParameter("bert.embeddings.LayerNorm.weight"), v => Assert.Equal(1f, v));
        Assert.All(model.GetParameter("bert.encoder.layer.0.attention.self.query.bias"), v => Assert.Equal(0f, v));
        Assert.All(model.GetParameter("classifier.bias"), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SameSeedSameWeightsDifferentSeedDifferentWeights()
    {
        using var a = TorchModel.Create(TinyModels.Small(), seed: 11);
        using var b = TorchModel.Create(TinyModels.Small(), seed: 11);
        using var c = TorchModel.Create(TinyModels.Small(), seed: 12);
        Assert.Equal(a.GetParameter("bert.pooler.dense.weight"), b.GetParameter("bert.pooler.dense.weight"));
        Assert.NotEqual(a.GetParameter("bert.pooler.dense.weight"), c.GetParameter("bert.pooler.dense.weight"));
    }

    [Fact]
    public void ExactMatchChannelChangesScoresOnlyWhereFlagsAreSet()
    {
        using var model = TorchModel.Create(TinyModels.Small(exactMatch: true), seed: 5);
        var noFlags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]]);
        var zeroFlags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]], [[0, 0, 0, 0, 0, 0]]);
        var flags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]], [[0, 1, 0, 1, 0, 0]]);
        Assert.Equal(model.Forward(noFlags), model.Forward(zeroFlags));
        Assert.NotEqual(model.Forward(noFlags)[0], model.Forward(flags)[0]);
    }

    [Fact]
    public void PaddingDoesNotChangeScores()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 9);
        var alone = model.Forward(EncodedBatch.Pad([[1, 5, 2, 8, 2]], [[0, 0, 0, 1, 1]]));
        var padded = model.Forward(EncodedBatch.Pad([[1, 5, 2, 8, 2], [1, 5, 6, 7, 2, 8, 9, 10, 11, 2]], [[0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]]));
        Assert.True(Math.Abs(alone[0] - padded[0]) < 1e-5, $"alone {alone[0]}, padded {padded[0]}");
    }

    [Fact]
    public void BadInputsNameTheFieldAndNativeLocation()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        var ex = Assert.Throws<TrainerException>(() => model.Forward(EncodedBatch.Pad([[1, 50, 2]], [[0, 0, 0]])));
        Assert.Equal(TrainerErrorCode.InvalidArgument, ex.Code);
        Assert.Contains("input_ids[0][1] = 50", ex.Message);
        Assert.Equal("src/model.cpp", ex.NativeFile);
        Assert.True(ex.NativeLine > 0);

        var tooLong = Enumerable.Repeat(3, 33).ToArray();
        ex = Assert.Throws<TrainerException>(() => model.Forward(EncodedBatch.Pad([tooLong], [new int[33]])));
        Assert.Contains("max_position_embeddings 32", ex.Message);

        ex = Assert.Throws<TrainerException>(() => model.SetParameter("bert.nope", new float[3]));
        Assert.Equal(TrainerErrorCode.NotFound, ex.Code);
        ex = Assert.Throws<TrainerException>(() => model.SetParameter("classifier.bias", new float[3]));
        Assert.Contains("has 1 elements", ex.Message);
        Assert.Throws<TrainerException>(() => TorchModel.Create(TinyModels.Small() with { NumAttentionHeads = 3 }, seed: 1));
    }

    [Fact]
    public void MissingOrMisshapenWeightsAreRejected()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        var tensors = model.GetParameters();
        tensors.Remove("classifier.bias");
        var ex = Assert.Throws<InvalidDataException>(() => model.SetParameters(tensors, "x.safetensors"));
        Assert.Contains("x.safetensors: missing tensor classifier.bias", ex.Message);
    }

    [Fact]
    public void DeviceSelectionFallsBackOnlyWhenAsked()
    {
        using var auto = TorchModel.Create(TinyModels.Small(), 1, TorchDevice.Auto);
        Assert.Equal(TorchModel.CudaAvailable, auto.IsCuda);
        if (TorchModel.CudaAvailable)
        {
            using var cuda = TorchModel.Create(TinyModels.Small(), 1, TorchDevice.Cuda);
            Assert.True(cuda.IsCuda);
        }
        else
        {
            var ex = Assert.Throws<TrainerException>(() => TorchModel.Create(TinyModels.Small(), 1, TorchDevice.Cuda));
            Assert.Equal(TrainerErrorCode.Device, ex.Code);
            Assert.Contains("'auto'", ex.Message);
        }
    }
}
