using System.Text.Json;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Modeling;

[Collection(TorchCollection.Name)]
public sealed class BertForSequenceClassificationTests
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
            var logits = model.Score(EncodedBatch.Pad([r.InputIds], [r.TokenTypeIds]));
            Assert.True(Math.Abs(logits[0] - r.LogitTorch) < 1e-4, $"{r.Id}: TorchSharp {logits[0]}, PyTorch {r.LogitTorch}");
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
            var logits = model.Score(EncodedBatch.Pad(batch.Select(r => r.InputIds).ToList(), batch.Select(r => r.TokenTypeIds).ToList()));
            Assert.Equal(batch.Count, logits.Length);
            for (int i = 0; i < batch.Count; i++)
                Assert.True(Math.Abs(logits[i] - batch[i].LogitTorchBatched) < 1e-4, $"{batch[i].Id}: TorchSharp {logits[i]}, PyTorch {batch[i].LogitTorchBatched}");
        }
    }

    [Fact]
    public void ParametersHaveHuggingFaceNamesAndShapesInSafetensorsLayout()
    {
        var config = TinyModels.Small(exactMatch: true);
        using var model = BertForSequenceClassification.Create(config, seed: 7);
        var weights = model.Weights();
        // Exactly the names and shapes model.safetensors holds (BertParameters is what the exporter and loaders check).
        Assert.Equal(BertParameters.Expected(config).Select(p => p.Name).Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in BertParameters.Expected(config))
            Assert.Equal(shape, weights[name].Shape);
        Assert.Contains("bert.embeddings.exact_match_embeddings.weight", weights.Keys);
    }

    [Fact]
    public void InitialWeightsAreThoseOfModelInit()
    {
        var config = new BertConfig { NumHiddenLayers = 1, HiddenSize = 64, NumAttentionHeads = 2, IntermediateSize = 128 };
        using var model = BertForSequenceClassification.Create(config, seed: 3);
        var weights = model.Weights();
        var expected = BertInitializer.Create(config, 3);
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.Data, weights[name].Data);
        Assert.All(weights["bert.embeddings.word_embeddings.weight"].Data.AsSpan(0, 64).ToArray(), v => Assert.Equal(0f, v)); // [PAD] row
    }

    [Fact]
    public void SafetensorsRoundTripIsExact()
    {
        using var dir = new TempDirectory();
        using var model = BertForSequenceClassification.Create(TinyModels.Small(exactMatch: true), seed: 5);
        SafeTensors.Write(dir.File("m.safetensors"), model.Weights());
        using var other = BertForSequenceClassification.Create(TinyModels.Small(exactMatch: true), seed: 6);
        other.LoadWeights(SafeTensors.Read(dir.File("m.safetensors")), "m.safetensors");
        var a = model.Weights();
        var b = other.Weights();
        foreach (var name in a.Keys)
            Assert.Equal(a[name].Data, b[name].Data);
    }

    [Fact]
    public void ExactMatchChannelChangesScoresOnlyWhereFlagsAreSet()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(exactMatch: true), seed: 5);
        model.LoadWeight(BertParameters.ExactMatchEmbeddings, new NamedTensor([2, 16], Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray()));
        var noFlags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]]);
        var zeroFlags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]], [[0, 0, 0, 0, 0, 0]]);
        var flags = EncodedBatch.Pad([[1, 7, 2, 7, 9, 2]], [[0, 0, 0, 1, 1, 1]], [[0, 1, 0, 1, 0, 0]]);
        Assert.Equal(model.Score(noFlags), model.Score(zeroFlags));
        Assert.NotEqual(model.Score(noFlags)[0], model.Score(flags)[0]);
    }

    [Fact]
    public void PaddingDoesNotChangeScores()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 9);
        var alone = model.Score(EncodedBatch.Pad([[1, 5, 2, 8, 2]], [[0, 0, 0, 1, 1]]));
        var padded = model.Score(EncodedBatch.Pad([[1, 5, 2, 8, 2], [1, 5, 6, 7, 2, 8, 9, 10, 11, 2]], [[0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]]));
        Assert.True(Math.Abs(alone[0] - padded[0]) < 1e-5, $"alone {alone[0]}, padded {padded[0]}");
    }

    [Fact]
    public void ScoringIsDeterministicAndLeavesTheTrainingFlag()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 4);
        var batch = TinyModels.RandomBatch(new Random(1), 6);
        model.train();
        Assert.Equal(model.Score(batch), model.Score(batch)); // no dropout while scoring
        Assert.True(model.training);
    }

    [Fact]
    public void BadInputsNameTheFieldRowAndColumn()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => model.Score(EncodedBatch.Pad([[1, 50, 2]], [[0, 0, 0]])));
        Assert.Contains("input_ids[0][1] = 50 is outside [0, 50) (vocab_size)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.Score(EncodedBatch.Pad([[1, 5, 2]], [[0, 2, 0]])));
        Assert.Contains("token_type_ids[0][1] = 2", ex.Message);
        var tooLong = Enumerable.Repeat(3, 33).ToArray();
        ex = Assert.Throws<ArgumentException>(() => model.Score(EncodedBatch.Pad([tooLong], [new int[33]])));
        Assert.Contains("max_position_embeddings 32", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.LoadWeight("bert.nope", NamedTensor.Zeros(3)));
        Assert.Contains("no parameter named 'bert.nope'", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.LoadWeight("classifier.bias", NamedTensor.Zeros(3)));
        Assert.Contains("shape [3]", ex.Message);
    }

    [Fact]
    public void MissingOrMisshapenWeightsAreRejectedWithTheSource()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        var weights = model.Weights();
        weights.Remove("classifier.bias");
        var ex = Assert.Throws<SearchRerank.Core.DataFormatException>(() => model.LoadWeights(weights, "x.safetensors"));
        Assert.Contains("x.safetensors", ex.Message);
        Assert.Contains("classifier.bias", ex.Message);
    }

    [Fact]
    public void DeviceSelectionFallsBackOnlyWhenAsked()
    {
        Assert.Equal(TorchRuntime.CudaAvailable ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU, TorchRuntime.Resolve(TorchDevice.Auto).type);
        if (TorchRuntime.CudaAvailable)
            Assert.Equal(TorchSharp.DeviceType.CUDA, TorchRuntime.Resolve(TorchDevice.Cuda).type);
        else
            Assert.Contains("'auto'", Assert.Throws<TrainingException>(() => TorchRuntime.Resolve(TorchDevice.Cuda)).Message);
    }
}
