using SearchRerank.Train.Native;

namespace SearchRerank.Train.Tests.Engine;

/// <summary>Each objective against hand-computed values and an independent C# formula over the model's own logits.</summary>
[Collection(EngineCollection.Name)]
public sealed class LossTests
{
    private static readonly TrainerOptions Frozen = new() { Optimizer = OptimizerKind.Sgd, LearningRate = 0, Schedule = ScheduleKind.Constant, Dropout = false };

    /// <summary>A model whose every logit equals <paramref name="logit"/>: zero classifier weight, bias = logit.</summary>
    private static TorchModel ConstantModel(float logit)
    {
        var model = TorchModel.Create(TinyModels.Small(), seed: 2);
        model.SetParameter("classifier.weight", new float[16]);
        model.SetParameter("classifier.bias", [logit]);
        return model;
    }

    private static double LossOf(TorchModel model, EncodedBatch batch, Objective objective)
    {
        using var trainer = TorchTrainer.Create(model, Frozen);
        return trainer.Step(batch, objective);
    }

    [Fact]
    public void HandComputedValuesOnConstantLogits()
    {
        var batch = TinyModels.RandomBatch(new Random(1), 4);
        using (var model = ConstantModel(0f))
        {
            Assert.Equal(Math.Log(2), LossOf(model, batch, new Objective(LossKind.BinaryCrossEntropy, 1, [1, 0, 1, 0])), 6);
            Assert.Equal(Math.Log(4), LossOf(model, batch, new Objective(LossKind.LocalizedContrastive, 4)), 6);
            Assert.Equal(Math.Log(2), LossOf(model, batch, new Objective(LossKind.LocalizedContrastive, 2)), 6);
            // Any ordered pair costs log(1 + e^0) = log 2.
            Assert.Equal(Math.Log(2), LossOf(model, batch, new Objective(LossKind.RankNet, 4, [3, 1, 2, 0])), 6);
            // Teacher margins 2, 3 and 1 against model margins 0: (4 + 9 + 1) / 3.
            Assert.Equal(14.0 / 3.0, LossOf(model, batch, new Objective(LossKind.MarginMse, 4, [3, 1, 0, 2])), 5);
            // Teacher (ln 3, 0) -> p = (3/4, 1/4); model uniform: KL = 3/4 ln(3/2) + 1/4 ln(1/2).
            double kl = 0.75 * Math.Log(1.5) + 0.25 * Math.Log(0.5);
            Assert.Equal(kl, LossOf(model, batch, new Objective(LossKind.ListwiseKl, 2, [(float)Math.Log(3), 0, (float)Math.Log(3), 0])), 5);
            // Group weights scale each group's term: (2·log 2 + 0·log 2) / 2 groups.
            Assert.Equal(Math.Log(2), LossOf(model, batch, new Objective(LossKind.LocalizedContrastive, 2, GroupWeights: [2, 0])), 6);
        }
        using (var model = ConstantModel(2f))
            Assert.Equal(Math.Log(1 + Math.Exp(-2)), LossOf(model, batch, new Objective(LossKind.BinaryCrossEntropy, 1, [1, 1, 1, 1])), 6);
    }

    [Fact]
    public void EveryLossMatchesAnIndependentFormulaOnDistinctLogits()
    {
        var random = new Random(42);
        using var model = TorchModel.Create(TinyModels.Small(), seed: 4);
        model.SetParameter("classifier.weight", Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray());
        var batch = TinyModels.RandomBatch(random, 8);
        var s = model.Forward(batch).Select(v => (double)v).ToArray();
        Assert.True(s.Distinct().Count() == 8, "logits should differ");
        float[] teacher = [2.5f, -1f, 0.5f, 0.5f, 1f, 3f, -2f, 0f];
        float[] binary = [1, 0, 0, 0, 1, 0, 0, 0];
        float[] weights = [0.5f, 2f];

        Assert.Equal(Bce(s, binary), LossOf(model, batch, new Objective(LossKind.BinaryCrossEntropy, 1, binary)), 5);
        Assert.Equal(Lce(s, 4, [1, 1]), LossOf(model, batch, new Objective(LossKind.LocalizedContrastive, 4)), 5);
        Assert.Equal(Lce(s, 4, weights), LossOf(model, batch, new Objective(LossKind.LocalizedContrastive, 4, GroupWeights: weights)), 5);
        Assert.Equal(RankNet(s, teacher, 4), LossOf(model, batch, new Objective(LossKind.RankNet, 4, teacher)), 5);
        Assert.Equal(Kl(s, teacher, 4, 2.0), LossOf(model, batch, new Objective(LossKind.ListwiseKl, 4, teacher, Temperature: 2.0)), 5);
        Assert.Equal(MarginMse(s, teacher, 2), LossOf(model, batch, new Objective(LossKind.MarginMse, 2, teacher)), 4);
    }

    [Fact]
    public void AnLceStepRaisesThePositiveAboveTheNegatives()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 8);
        var random = new Random(3);
        model.SetParameter("classifier.weight", Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray());
        var batch = TinyModels.RandomBatch(random, 8);
        double Margin()
        {
            var s = model.Forward(batch);
            return s[0] - s.Skip(1).Average() + s[4] - s.Skip(5).Average();
        }
        double before = Margin();
        using var trainer = TorchTrainer.Create(model, Frozen with { LearningRate = 0.05 });
        double first = trainer.Step(batch, new Objective(LossKind.LocalizedContrastive, 4));
        double second = trainer.Step(batch, new Objective(LossKind.LocalizedContrastive, 4));
        Assert.True(second < first, $"loss {first} -> {second}");
        Assert.True(Margin() > before);
    }

    [Fact]
    public void DropoutMakesTrainingForwardsStochasticAndEvalModeDeterministic()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 6);
        model.SetParameter("classifier.weight", Enumerable.Repeat(1f, 16).ToArray());
        var batch = TinyModels.RandomBatch(new Random(9), 8);
        var objective = new Objective(LossKind.LocalizedContrastive, 8);
        using (var train = TorchTrainer.Create(model, Frozen with { Dropout = true }))
            Assert.NotEqual(train.Step(batch, objective), train.Step(batch, objective));
        using var eval = TorchTrainer.Create(model, Frozen);
        Assert.Equal(eval.Step(batch, objective), eval.Step(batch, objective));
    }

    [Fact]
    public void InvalidObjectivesAreRejectedWithTheirValues()
    {
        using var model = TorchModel.Create(TinyModels.Small(), seed: 1);
        using var trainer = TorchTrainer.Create(model, Frozen);
        var batch = TinyModels.RandomBatch(new Random(5), 6);
        var ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, new Objective(LossKind.LocalizedContrastive, 4)));
        Assert.Contains("group_size 4", ex.Message);
        ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, new Objective(LossKind.BinaryCrossEntropy, 1, [0, 1, 2, 0, 0, 0])));
        Assert.Contains("labels[2] = 2", ex.Message);
        ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, new Objective(LossKind.RankNet, 3, null)));
        Assert.Contains("labels is NULL", ex.Message);
        ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, new Objective(LossKind.ListwiseKl, 3, new float[6], Temperature: 0)));
        Assert.Contains("temperature", ex.Message);
        ex = Assert.Throws<TrainerException>(() => trainer.Step(batch, new Objective(LossKind.MarginMse, 1, new float[6])));
        Assert.Contains("at least 2", ex.Message);
        Assert.Equal(0, trainer.OptimizerStep);
    }

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    private static double Bce(double[] s, float[] y) => s.Select((x, i) => Softplus(x) - x * y[i]).Average();

    private static double LogSumExp(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        double max = a.Max();
        return max + Math.Log(a.Sum(x => Math.Exp(x - max)));
    }

    private static double Lce(double[] s, int g, float[] w) =>
        Enumerable.Range(0, s.Length / g).Select(n => w[n] * (LogSumExp(s.Skip(n * g).Take(g)) - s[n * g])).Average();

    private static double RankNet(double[] s, float[] t, int g)
    {
        double sum = 0;
        int pairs = 0;
        for (int n = 0; n < s.Length / g; n++)
            for (int i = n * g; i < (n + 1) * g; i++)
                for (int j = n * g; j < (n + 1) * g; j++)
                    if (t[i] > t[j])
                    {
                        sum += Softplus(-(s[i] - s[j]));
                        pairs++;
                    }
        return sum / pairs;
    }

    private static double Kl(double[] s, float[] t, int g, double temperature)
    {
        double total = 0;
        for (int n = 0; n < s.Length / g; n++)
        {
            var ts = t.Skip(n * g).Take(g).Select(v => v / temperature).ToArray();
            var ss = s.Skip(n * g).Take(g).Select(v => v / temperature).ToArray();
            double zt = LogSumExp(ts), zs = LogSumExp(ss);
            for (int i = 0; i < g; i++)
                total += Math.Exp(ts[i] - zt) * ((ts[i] - zt) - (ss[i] - zs));
        }
        return total / (s.Length / g);
    }

    private static double MarginMse(double[] s, float[] t, int g)
    {
        var terms = new List<double>();
        for (int n = 0; n < s.Length / g; n++)
            for (int j = 1; j < g; j++)
            {
                double d = (s[n * g] - s[n * g + j]) - (t[n * g] - t[n * g + j]);
                terms.Add(d * d);
            }
        return terms.Average();
    }
}
