using SearchRerank.Train.Losses;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Tests.Modeling;
using TorchSharp;

namespace SearchRerank.Train.Tests.Losses;

/// <summary>Each ranking loss against hand-computed values and an independent C# formula over the model's own logits.</summary>
[Collection(TorchCollection.Name)]
public sealed class RankingLossTests
{
    private static double LossOf(IRankingLoss loss, float[] scores, RankingTargets targets)
    {
        using var tensor = torch.tensor(scores);
        using var value = loss.Compute(tensor, targets);
        return value.item<float>();
    }

    private static double LossOf(IRankingLoss loss, float logit, int groupSize, int groups, float[]? labels = null, float[]? weights = null) =>
        LossOf(loss, Enumerable.Repeat(logit, groupSize * groups).ToArray(), new RankingTargets(groupSize, groups, labels, weights));

    [Fact]
    public void HandComputedValuesOnConstantLogits()
    {
        Assert.Equal(Math.Log(2), LossOf(new BinaryCrossEntropyLoss(), 0f, 1, 4, [1, 0, 1, 0]), 6);
        Assert.Equal(Math.Log(4), LossOf(new LocalizedContrastiveLoss(), 0f, 4, 1), 6);
        Assert.Equal(Math.Log(2), LossOf(new LocalizedContrastiveLoss(), 0f, 2, 2), 6);
        // Any ordered pair costs log(1 + e^0) = log 2.
        Assert.Equal(Math.Log(2), LossOf(new RankNetLoss(), 0f, 4, 1, [3, 1, 2, 0]), 6);
        // Teacher margins 2, 3 and 1 against model margins 0: (4 + 9 + 1) / 3.
        Assert.Equal(14.0 / 3.0, LossOf(new MarginMseLoss(), 0f, 4, 1, [3, 1, 0, 2]), 5);
        // Teacher (ln 3, 0) -> p = (3/4, 1/4); model uniform: KL = 3/4 ln(3/2) + 1/4 ln(1/2).
        double kl = 0.75 * Math.Log(1.5) + 0.25 * Math.Log(0.5);
        Assert.Equal(kl, LossOf(new ListwiseKlLoss(), 0f, 2, 2, [(float)Math.Log(3), 0, (float)Math.Log(3), 0]), 5);
        // Group weights scale each group's term: (2·log 2 + 0·log 2) / 2 groups.
        Assert.Equal(Math.Log(2), LossOf(new LocalizedContrastiveLoss(), 0f, 2, 2, weights: [2, 0]), 6);
        Assert.Equal(Math.Log(1 + Math.Exp(-2)), LossOf(new BinaryCrossEntropyLoss(), 2f, 1, 4, [1, 1, 1, 1]), 6);
        // All labels tied: no ordered pair, a zero loss that still backpropagates.
        Assert.Equal(0, LossOf(new RankNetLoss(), 1f, 3, 1, [1, 1, 1]));
    }

    [Fact]
    public void EveryLossMatchesAnIndependentFormulaOnTheModelsLogits()
    {
        var random = new Random(42);
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 4);
        TinyModels.SharpenClassifier(model, random);
        var logits = model.Score(TinyModels.RandomBatch(random, 8));
        var s = logits.Select(v => (double)v).ToArray();
        Assert.True(s.Distinct().Count() == 8, "logits should differ");
        float[] teacher = [2.5f, -1f, 0.5f, 0.5f, 1f, 3f, -2f, 0f];
        float[] binary = [1, 0, 0, 0, 1, 0, 0, 0];
        float[] weights = [0.5f, 2f];

        Assert.Equal(Bce(s, binary), LossOf(new BinaryCrossEntropyLoss(), logits, new(4, 2, binary)), 5);
        Assert.Equal(Lce(s, 4, [1, 1]), LossOf(new LocalizedContrastiveLoss(), logits, new(4, 2)), 5);
        Assert.Equal(Lce(s, 4, weights), LossOf(new LocalizedContrastiveLoss(), logits, new(4, 2, GroupWeights: weights)), 5);
        Assert.Equal(RankNet(s, teacher, 4), LossOf(new RankNetLoss(), logits, new(4, 2, teacher)), 5);
        Assert.Equal(Kl(s, teacher, 4, 2.0), LossOf(new ListwiseKlLoss(2.0), logits, new(4, 2, teacher)), 5);
        Assert.Equal(MarginMse(s, teacher, 2), LossOf(new MarginMseLoss(), logits, new(2, 4, teacher)), 4);
    }

    [Fact]
    public void InvalidTargetsAreRejectedNamingTheLossAndTheValue()
    {
        float[] six = new float[6];
        var ex = Assert.Throws<ArgumentException>(() => LossOf(new LocalizedContrastiveLoss(), six, new(4, 1)));
        Assert.Contains("LocalizedContrastiveLoss", ex.Message);
        Assert.Contains("batch of 6", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => LossOf(new BinaryCrossEntropyLoss(), six, new(1, 6, [0, 1, 2, 0, 0, 0])));
        Assert.Contains("BinaryCrossEntropyLoss: labels[2] = 2 is outside [0, 1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => LossOf(new RankNetLoss(), six, new(3, 2)));
        Assert.Contains("RankNetLoss: needs one label per pair", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => LossOf(new MarginMseLoss(), six, new(1, 6, six)));
        Assert.Contains("MarginMseLoss: needs groups of at least 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => LossOf(new ListwiseKlLoss(), six, new(3, 2, [0, 1, float.NaN, 0, 0, 0])));
        Assert.Contains("ListwiseKlLoss: labels[2] = NaN is not finite", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => LossOf(new LocalizedContrastiveLoss(), six, new(3, 2, GroupWeights: [1, -1])));
        Assert.Contains("group_weights[1] = -1", ex.Message);
        Assert.Contains("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new ListwiseKlLoss(0)).Message);
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
