using SearchRerank.Train.Native;

namespace SearchRerank.Train.Tests.Engine;

[Collection(EngineCollection.Name)]
public sealed class TrainerTests
{
    private static readonly TrainerOptions Adam = new() { LearningRate = 1e-3, WarmupSteps = 2, TotalSteps = 10, AccumulationSteps = 2 };

    private static Objective Lce => new(LossKind.LocalizedContrastive, 4);

    private static List<EncodedBatch> Batches(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => TinyModels.RandomBatch(random, 8)).ToList();
    }

    private static void AssertSameWeights(TorchModel expected, TorchModel actual)
    {
        foreach (var p in expected.Parameters)
            Assert.True(expected.GetParameter(p.Name).AsSpan().SequenceEqual(actual.GetParameter(p.Name)), $"{p.Name} differs");
    }

    [Fact]
    public void ScheduleWarmsUpThenDecaysLinearly()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        using var trainer = TorchTrainer.Create(model, Adam with { AccumulationSteps = 1, TotalSteps = 4 });
        var batch = TinyModels.RandomBatch(new Random(1), 4);
        var rates = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            rates.Add(trainer.LearningRate);
            trainer.Step(batch, Lce);
        }
        Assert.Equal([0.0, 5e-4, 1e-3, 5e-4, 0.0], rates.Select(r => Math.Round(r, 12)));
        Assert.Equal(5, trainer.OptimizerStep);
        Assert.True(trainer.LastGradNorm > 0);
    }

    [Fact]
    public void AccumulationEqualsOneLargeBatch()
    {
        var options = new TrainerOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Schedule = ScheduleKind.Constant, Dropout = false, MaxGradNorm = 0 };
        var halves = Batches(2, 7);
        var whole = EncodedBatch.Pad(
            [.. Rows(halves[0], halves[0].InputIds), .. Rows(halves[1], halves[1].InputIds)],
            [.. Rows(halves[0], halves[0].TokenTypeIds), .. Rows(halves[1], halves[1].TokenTypeIds)]);

        using var a = TorchModel.Create(TinyModels.Small(), seed: 3);
        using (var trainer = TorchTrainer.Create(a, options with { AccumulationSteps = 2 }))
        {
            trainer.Step(halves[0], Lce);
            Assert.Equal(0, trainer.OptimizerStep);
            trainer.Step(halves[1], Lce);
            Assert.Equal(1, trainer.OptimizerStep);
        }
        using var b = TorchModel.Create(TinyModels.Small(), seed: 3);
        using (var trainer = TorchTrainer.Create(b, options))
            trainer.Step(whole, Lce);

        foreach (var p in a.Parameters)
        {
            var x = a.GetParameter(p.Name);
            var y = b.GetParameter(p.Name);
            for (int i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(x[i] - y[i]) < 1e-6, $"{p.Name}[{i}]: {x[i]} vs {y[i]}");
        }
    }

    /// <summary>The rows of a padded batch without their padding.</summary>
    private static List<int[]> Rows(EncodedBatch batch, int[] values) =>
        Enumerable.Range(0, batch.Size)
            .Select(r => values.AsSpan(r * batch.SequenceLength, batch.AttentionMask.AsSpan(r * batch.SequenceLength, batch.SequenceLength).Count(1)).ToArray())
            .ToList();

    [Fact]
    public void NonFiniteLossIsAnErrorAndLeavesWeightsAlone()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 5);
        using var trainer = TorchTrainer.Create(model, Adam with { AccumulationSteps = 1 });
        var batch = TinyModels.RandomBatch(new Random(2), 8);
        trainer.Step(batch, Lce);
        trainer.Step(batch, Lce);
        var before = model.GetParameters();
        var bias = model.GetParameter("classifier.bias");

        model.SetParameter("classifier.bias", [float.NaN]);
        var ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, Lce));
        Assert.Equal(TrainerErrorCode.NonFinite, ex.Code);
        Assert.Contains("loss is nan", ex.Message);
        Assert.Equal(2, trainer.OptimizerStep);
        foreach (var (name, tensor) in before)
            if (name != "classifier.bias")
                Assert.True(tensor.Data.AsSpan().SequenceEqual(model.GetParameter(name)), $"{name} changed");

        // Training goes on once the cause is gone.
        model.SetParameter("classifier.bias", bias);
        Assert.True(double.IsFinite(trainer.Step(batch, Lce)));
        Assert.Equal(3, trainer.OptimizerStep);
    }

    [Fact]
    public void SameSeedTrainsToIdenticalWeights()
    {
        var batches = Batches(4, 11);
        TorchModel Train()
        {
            var model = TorchModel.Create(TinyModels.Small(), seed: 21);
            using var trainer = TorchTrainer.Create(model, Adam);
            foreach (var b in batches)
                trainer.Step(b, Lce);
            return model;
        }
        using var a = Train();
        using var b = Train();
        AssertSameWeights(a, b);
    }

    [Fact]
    public void CheckpointResumeEqualsUninterruptedTraining()
    {
        using var dir = new TempDirectory();
        var batches = Batches(8, 13);
        var config = TinyModels.Small(exactMatch: true);

        using var straight = TorchModel.Create(config, seed: 17);
        Dictionary<string, SearchRerank.Train.Model.NamedTensor> weights;
        using (var trainer = TorchTrainer.Create(straight, Adam))
        {
            foreach (var b in batches.Take(4))
                trainer.Step(b, Lce);
            trainer.Save(dir.File("trainer.state"));
            weights = straight.GetParameters();
            foreach (var b in batches.Skip(4))
                trainer.Step(b, Lce);
            Assert.Equal(4, trainer.OptimizerStep);
        }

        // A fresh process would start from another seed; the checkpoint restores weights, moments, step and RNG.
        using var resumed = TorchModel.Create(config, seed: 99);
        resumed.SetParameters(weights, "saved weights");
        using (var trainer = TorchTrainer.Create(resumed, Adam))
        {
            trainer.Load(dir.File("trainer.state"));
            Assert.Equal(2, trainer.OptimizerStep);
            foreach (var b in batches.Skip(4))
                trainer.Step(b, Lce);
        }
        AssertSameWeights(straight, resumed);
        Assert.Single(Directory.GetFiles(dir.Path)); // no temp file left behind
    }

    [Fact]
    public void BadCheckpointsAreRejectedAndLeaveTheTrainerUsable()
    {
        using var dir = new TempDirectory();
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        using var trainer = TorchTrainer.Create(model, Adam);
        var batch = TinyModels.RandomBatch(new Random(4), 8);

        trainer.Step(batch, Lce);
        var ex = Assert.Throws<TrainerException>(() => trainer.Save(dir.File("mid.state")));
        Assert.Contains("middle of gradient accumulation", ex.Message);
        trainer.Step(batch, Lce);
        trainer.Save(dir.File("ok.state"));

        File.WriteAllText(dir.File("junk.state"), "not a checkpoint");
        ex = Assert.Throws<TrainerException>(() => trainer.Load(dir.File("junk.state")));
        Assert.Equal(TrainerErrorCode.Io, ex.Code);
        Assert.Contains("junk.state", ex.Message);

        var bytes = File.ReadAllBytes(dir.File("ok.state"));
        File.WriteAllBytes(dir.File("cut.state"), bytes[..(bytes.Length / 2)]);
        ex = Assert.Throws<TrainerException>(() => trainer.Load(dir.File("cut.state")));
        Assert.Contains("truncated", ex.Message);

        using var other = TorchModel.Create(TinyModels.Small(exactMatch: true), seed: 1);
        using var otherTrainer = TorchTrainer.Create(other, Adam);
        ex = Assert.Throws<TrainerException>(() => otherTrainer.Load(dir.File("ok.state")));
        Assert.Equal(TrainerErrorCode.InvalidArgument, ex.Code);

        ex = Assert.Throws<TrainerException>(() => trainer.Load(dir.File("missing.state")));
        Assert.Equal(TrainerErrorCode.Io, ex.Code);
        Assert.Equal(1, trainer.OptimizerStep);
        trainer.Step(batch, Lce);
        trainer.Step(batch, Lce);
        Assert.Equal(2, trainer.OptimizerStep);
    }

    [Fact]
    public void ClippingBoundsTheUpdateNorm()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 2);
        var before = model.GetParameters();
        var options = new TrainerOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 1, Schedule = ScheduleKind.Constant, Dropout = false, MaxGradNorm = 1e-4 };
        using var trainer = TorchTrainer.Create(model, options);
        trainer.Step(TinyModels.RandomBatch(new Random(6), 8), Lce);
        Assert.True(trainer.LastGradNorm > 1e-4, $"the gradient norm {trainer.LastGradNorm} should exceed the clip");
        double squared = 0;
        foreach (var (name, tensor) in before)
        {
            var after = model.GetParameter(name);
            for (int i = 0; i < after.Length; i++)
                squared += Math.Pow(after[i] - tensor.Data[i], 2);
        }
        Assert.True(Math.Abs(Math.Sqrt(squared) - 1e-4) < 1e-6, $"update norm {Math.Sqrt(squared)}");
    }

    [Fact]
    public void AdamWDecaysWeightsThatGetNoGradient()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 2);
        var word = model.GetParameter("bert.embeddings.word_embeddings.weight");
        using var trainer = TorchTrainer.Create(model, new TrainerOptions { LearningRate = 0.1, WeightDecay = 0.5, Schedule = ScheduleKind.Constant });
        // Ids 1, 2 and 3..49 appear; rows 0 ([PAD], zero) and any id absent from the batch get a zero gradient.
        var batch = EncodedBatch.Pad([[1, 3, 2, 4, 2], [1, 3, 2, 5, 2]], [[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]]);
        trainer.Step(batch, new Objective(LossKind.LocalizedContrastive, 2));
        var after = model.GetParameter("bert.embeddings.word_embeddings.weight");
        const int h = 16;
        for (int i = 0; i < h; i++)
        {
            Assert.Equal(0f, after[i]); // [PAD] row stays zero
            Assert.Equal(word[40 * h + i] * (1 - 0.1f * 0.5f), after[40 * h + i], 6); // unused id 40: decay only
        }
        Assert.NotEqual(word[3 * h] * (1 - 0.1f * 0.5f), after[3 * h]); // used id 3: Adam update as well
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        var ex = Assert.Throws<TrainerException>(() => TorchTrainer.Create(model, Adam with { TotalSteps = 0 }));
        Assert.Contains("total_steps", ex.Message);
        ex = Assert.Throws<TrainerException>(() => TorchTrainer.Create(model, Adam with { AccumulationSteps = 0 }));
        Assert.Contains("accumulation_steps", ex.Message);
        ex = Assert.Throws<TrainerException>(() => TorchTrainer.Create(model, Adam with { Beta2 = 1.0 }));
        Assert.Contains("beta2", ex.Message);
    }
}
