using SearchRerank.Train.Losses;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using SearchRerank.Train.Tests.Modeling;
using TorchSharp;

namespace SearchRerank.Train.Tests.Optimization;

[Collection(TorchCollection.Name)]
public sealed class CrossEncoderOptimizerTests
{
    private static readonly OptimizerSettings Adam = new() { LearningRate = 1e-3, WarmupSteps = 2, TotalSteps = 10, AccumulationSteps = 2 };
    private static readonly OptimizerSettings Sgd = new() { Kind = OptimizerKind.Sgd, LearningRate = 0.1, Decay = false, MaxGradNorm = 0 };

    private static double Step(BertForSequenceClassification model, CrossEncoderOptimizer optimizer, EncodedBatch batch, IRankingLoss? loss = null, int groupSize = 4)
    {
        using var scope = torch.NewDisposeScope();
        using var inputs = BertInputs.From(batch, model.Config, model.Device);
        var targets = new RankingTargets(groupSize, batch.Size / groupSize);
        return optimizer.Backward((loss ?? new LocalizedContrastiveLoss()).Compute(model.call(inputs), targets));
    }

    private static List<EncodedBatch> Batches(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => TinyModels.RandomBatch(random, 8)).ToList();
    }

    private static void AssertSameWeights(BertForSequenceClassification expected, BertForSequenceClassification actual)
    {
        var a = expected.Weights();
        var b = actual.Weights();
        foreach (var name in a.Keys)
            Assert.True(a[name].Data.AsSpan().SequenceEqual(b[name].Data), $"{name} differs");
    }

    [Fact]
    public void ScheduleWarmsUpThenDecaysLinearly()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        using var optimizer = new CrossEncoderOptimizer(model, Adam with { AccumulationSteps = 1, TotalSteps = 4 });
        var batch = TinyModels.RandomBatch(new Random(1), 4);
        var rates = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            rates.Add(optimizer.LearningRate);
            Step(model, optimizer, batch);
        }
        Assert.Equal([0.0, 5e-4, 1e-3, 5e-4, 0.0], rates.Select(r => Math.Round(r, 12)));
        Assert.Equal(5, optimizer.Step);
        Assert.True(optimizer.LastGradNorm > 0);
        Assert.Equal(0.5, LinearWarmupSchedule.Factor(3, warmup: 2, total: 4));
        Assert.Equal(1.0, LinearWarmupSchedule.Factor(3, warmup: 2, total: 4, decay: false));
    }

    [Fact]
    public void AccumulationEqualsOneLargeBatch()
    {
        var halves = Batches(2, 7);
        var whole = EncodedBatch.Pad([.. Rows(halves[0], halves[0].InputIds), .. Rows(halves[1], halves[1].InputIds)],
            [.. Rows(halves[0], halves[0].TokenTypeIds), .. Rows(halves[1], halves[1].TokenTypeIds)]);

        using var a = BertForSequenceClassification.Create(TinyModels.Small(), seed: 3);
        a.eval();
        using (var optimizer = new CrossEncoderOptimizer(a, Sgd with { AccumulationSteps = 2 }))
        {
            Step(a, optimizer, halves[0]);
            Assert.Equal(0, optimizer.Step);
            Step(a, optimizer, halves[1]);
            Assert.Equal(1, optimizer.Step);
        }
        using var b = BertForSequenceClassification.Create(TinyModels.Small(), seed: 3);
        b.eval();
        using (var optimizer = new CrossEncoderOptimizer(b, Sgd))
            Step(b, optimizer, whole);

        var x = a.Weights();
        var y = b.Weights();
        foreach (var name in x.Keys)
            for (int i = 0; i < x[name].Data.Length; i++)
                Assert.True(Math.Abs(x[name].Data[i] - y[name].Data[i]) < 1e-6, $"{name}[{i}]: {x[name].Data[i]} vs {y[name].Data[i]}");
    }

    /// <summary>The rows of a padded batch without their padding.</summary>
    private static List<int[]> Rows(EncodedBatch batch, int[] values) =>
        Enumerable.Range(0, batch.Size)
            .Select(r => values.AsSpan(r * batch.SequenceLength, batch.AttentionMask.AsSpan(r * batch.SequenceLength, batch.SequenceLength).Count(1)).ToArray())
            .ToList();

    [Fact]
    public void NonFiniteLossIsAnErrorAndLeavesWeightsAlone()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 5);
        using var optimizer = new CrossEncoderOptimizer(model, Adam with { AccumulationSteps = 1 });
        var batch = TinyModels.RandomBatch(new Random(2), 8);
        Step(model, optimizer, batch);
        Step(model, optimizer, batch);
        var before = model.Weights();

        model.LoadWeight("classifier.bias", new NamedTensor([1], [float.NaN]));
        var ex = Assert.Throws<NonFiniteLossException>(() => Step(model, optimizer, batch));
        Assert.Contains("loss is NaN", ex.Message);
        Assert.Equal(2, optimizer.Step);
        var after = model.Weights();
        foreach (var (name, tensor) in before)
            if (name != "classifier.bias")
                Assert.True(tensor.Data.AsSpan().SequenceEqual(after[name].Data), $"{name} changed");

        // Training goes on once the cause is gone.
        model.LoadWeight("classifier.bias", before["classifier.bias"]);
        Assert.True(double.IsFinite(Step(model, optimizer, batch)));
        Assert.Equal(3, optimizer.Step);
    }

    [Fact]
    public void SameSeedTrainsToIdenticalWeightsWithDropout()
    {
        var batches = Batches(4, 11);
        BertForSequenceClassification Train()
        {
            TorchRuntime.Seed(21);
            var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 21);
            model.train();
            using var optimizer = new CrossEncoderOptimizer(model, Adam);
            foreach (var b in batches)
                Step(model, optimizer, b);
            return model;
        }
        using var a = Train();
        using var b = Train();
        AssertSameWeights(a, b);
    }

    [Fact]
    public void DropoutMakesTrainingForwardsStochastic()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 6);
        model.LoadWeight("classifier.weight", new NamedTensor([1, 16], Enumerable.Repeat(1f, 16).ToArray()));
        var batch = TinyModels.RandomBatch(new Random(9), 8);
        using var frozen = new CrossEncoderOptimizer(model, Sgd with { LearningRate = 0 });
        model.train();
        Assert.NotEqual(Step(model, frozen, batch, groupSize: 8), Step(model, frozen, batch, groupSize: 8));
        model.eval();
        Assert.Equal(Step(model, frozen, batch, groupSize: 8), Step(model, frozen, batch, groupSize: 8));
    }

    [Fact]
    public void SavedStateResumesToTheWeightsOfUninterruptedTraining()
    {
        var batches = Batches(8, 13);
        var config = TinyModels.Small(exactMatch: true);
        TorchRuntime.Seed(17);
        using var straight = BertForSequenceClassification.Create(config, seed: 17);
        straight.train();
        var state = new MemoryStream();
        Dictionary<string, NamedTensor> weights;
        byte[] random;
        using (var optimizer = new CrossEncoderOptimizer(straight, Adam))
        {
            foreach (var b in batches.Take(4))
                Step(straight, optimizer, b);
            optimizer.Save(state);
            weights = straight.Weights();
            random = TorchRuntime.RandomState();
            foreach (var b in batches.Skip(4))
                Step(straight, optimizer, b);
            Assert.Equal(4, optimizer.Step);
        }

        // A fresh start from another seed: the saved weights, moments, step and generator state put it back on track.
        TorchRuntime.Seed(99);
        using var resumed = BertForSequenceClassification.Create(config, seed: 99);
        resumed.train();
        resumed.LoadWeights(weights, "saved weights");
        using (var optimizer = new CrossEncoderOptimizer(resumed, Adam))
        {
            state.Position = 0;
            optimizer.Load(state, "memory");
            TorchRuntime.SetRandomState(random);
            Assert.Equal(2, optimizer.Step);
            Assert.Equal(1e-3, optimizer.LearningRate, 12);
            foreach (var b in batches.Skip(4))
                Step(resumed, optimizer, b);
        }
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void BadStatesAreRejectedAndLeaveTheOptimizerUsable()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        using var optimizer = new CrossEncoderOptimizer(model, Adam);
        var batch = TinyModels.RandomBatch(new Random(4), 8);
        Step(model, optimizer, batch);
        Assert.Contains("middle of gradient accumulation", Assert.Throws<InvalidOperationException>(() => optimizer.Save(new MemoryStream())).Message);
        Step(model, optimizer, batch);
        var good = new MemoryStream();
        optimizer.Save(good);
        var bytes = good.ToArray();

        Assert.Contains("junk", Assert.Throws<InvalidDataException>(() => optimizer.Load(new MemoryStream("not a state"u8.ToArray()), "junk")).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => optimizer.Load(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut")).Message);
        using var other = BertForSequenceClassification.Create(TinyModels.Small(exactMatch: true), seed: 1);
        using var otherOptimizer = new CrossEncoderOptimizer(other, Adam);
        Assert.Throws<InvalidDataException>(() => otherOptimizer.Load(new MemoryStream(bytes), "other layout"));
        Assert.Equal(1, optimizer.Step);
        Step(model, optimizer, batch);
        Step(model, optimizer, batch);
        Assert.Equal(2, optimizer.Step);
    }

    [Fact]
    public void ClippingBoundsTheUpdateNorm()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 2);
        model.eval();
        var before = model.Weights();
        using var optimizer = new CrossEncoderOptimizer(model, Sgd with { LearningRate = 1, MaxGradNorm = 1e-4 });
        Step(model, optimizer, TinyModels.RandomBatch(new Random(6), 8));
        Assert.True(optimizer.LastGradNorm > 1e-4, $"the gradient norm {optimizer.LastGradNorm} should exceed the clip");
        var after = model.Weights();
        double squared = 0;
        foreach (var (name, tensor) in before)
            for (int i = 0; i < tensor.Data.Length; i++)
                squared += Math.Pow(after[name].Data[i] - tensor.Data[i], 2);
        Assert.True(Math.Abs(Math.Sqrt(squared) - 1e-4) < 1e-6, $"update norm {Math.Sqrt(squared)}");
    }

    [Fact]
    public void AdamWDecaysWeightsButNotBiasesOrLayerNorms()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 2);
        var before = model.Weights();
        using var optimizer = new CrossEncoderOptimizer(model, new OptimizerSettings { LearningRate = 0.1, WeightDecay = 0.5, Decay = false });
        // Ids 1..5 appear; [PAD] (0) and absent ids such as 40 get a zero gradient.
        var batch = EncodedBatch.Pad([[1, 3, 2, 4, 2], [1, 3, 2, 5, 2]], [[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]]);
        model.eval();
        Step(model, optimizer, batch, groupSize: 2);
        var after = model.Weights();
        const int h = 16;
        var word = before["bert.embeddings.word_embeddings.weight"].Data;
        var wordAfter = after["bert.embeddings.word_embeddings.weight"].Data;
        for (int i = 0; i < h; i++)
        {
            Assert.Equal(0f, wordAfter[i]); // [PAD] row stays zero
            Assert.Equal(word[40 * h + i] * (1 - 0.1f * 0.5f), wordAfter[40 * h + i], 6); // unused id 40: decay only
        }
        Assert.NotEqual(word[3 * h] * (1 - 0.1f * 0.5f), wordAfter[3 * h]); // used id 3: Adam update as well
        var (decay, noDecay) = model.WeightDecayGroups();
        Assert.Equal(model.parameters().Count(), decay.Count + noDecay.Count);
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        Assert.All(noDecay, p => Assert.True(names[p.Handle].EndsWith(".bias") || names[p.Handle].Contains("LayerNorm."), names[p.Handle]));
        Assert.Contains(decay, p => names[p.Handle] == "bert.embeddings.word_embeddings.weight");
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        Assert.Contains("total steps", Assert.Throws<ArgumentException>(() => new CrossEncoderOptimizer(model, Adam with { TotalSteps = 0 })).Message);
        Assert.Contains("accumulation steps", Assert.Throws<ArgumentException>(() => new CrossEncoderOptimizer(model, Adam with { AccumulationSteps = 0 })).Message);
        Assert.Contains("beta2", Assert.Throws<ArgumentException>(() => new CrossEncoderOptimizer(model, Adam with { Beta2 = 1.0 })).Message);
    }
}
