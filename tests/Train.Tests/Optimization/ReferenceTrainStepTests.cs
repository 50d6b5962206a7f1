using System.Text.Json;
using SearchRerank.Train.Losses;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using SearchRerank.Train.Tests.Model;
using SearchRerank.Train.Tests.Modeling;

namespace SearchRerank.Train.Tests.Optimization;

/// <summary>The reference training step of ../shared/reference/train-step.json: eval-mode BCE, then p −= 3e-5·grad.</summary>
[Collection(TorchCollection.Name)]
public sealed class ReferenceTrainStepTests
{
    [Fact]
    public void SgdStepReproducesPyTorchLossesGradientsAndLogits()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceFiles.Reference, "train-step.json")));
        var root = doc.RootElement;
        int[][] Rows(string name) => root.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        var ids = Rows("input_ids");
        var types = Rows("token_type_ids");
        var mask = Rows("attention_mask");
        int rows = ids.Length, length = ids[0].Length;
        var batch = EncodedBatch.FromPadded(rows, length, ids.SelectMany(r => r).ToArray(), types.SelectMany(r => r).ToArray(), mask.SelectMany(r => r).ToArray());
        var labels = root.GetProperty("labels").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

        using var model = TinyModels.LoadReference();
        var before = model.Score(batch);
        var expectedBefore = root.GetProperty("logits_before").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < rows; i++)
            Assert.True(Math.Abs(before[i] - expectedBefore[i]) < 1e-4, $"logit {i}: {before[i]} vs {expectedBefore[i]}");

        model.eval();
        var settings = new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = 3e-5, Decay = false, MaxGradNorm = 0, WeightDecay = 0 };
        using var optimizer = new CrossEncoderOptimizer(model, settings);
        double loss;
        using (var inputs = BertInputs.From(batch, model.Config, model.Device))
        using (var scores = model.call(inputs))
        using (var value = new BinaryCrossEntropyLoss().Compute(scores, new RankingTargets(1, rows, labels)))
            loss = optimizer.Backward(value);
        double lossBefore = root.GetProperty("loss_before").GetDouble();
        Assert.True(Math.Abs(loss - lossBefore) < 1e-5, $"loss {loss}, PyTorch {lossBefore}");
        Assert.Equal(1, optimizer.Step);

        foreach (var norm in root.GetProperty("grad_l2_norm").EnumerateObject())
        {
            double expected = norm.Value.GetDouble();
            double actual = optimizer.GradNorm(norm.Name);
            Assert.True(Math.Abs(actual - expected) <= 1e-3 * expected + 1e-6, $"{norm.Name}: grad norm {actual}, PyTorch {expected}");
        }
        double biasGrad = root.GetProperty("classifier_bias_grad")[0].GetDouble();
        Assert.Equal(Math.Abs(biasGrad), optimizer.GradNorm("classifier.bias"), 4);

        var after = model.Score(batch);
        var expectedAfter = root.GetProperty("logits_after").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < rows; i++)
            Assert.True(Math.Abs(after[i] - expectedAfter[i]) < 1e-4, $"logit after {i}: {after[i]} vs {expectedAfter[i]}");
        double lossAfter = root.GetProperty("loss_after").GetDouble();
        Assert.True(Math.Abs(Bce(after, labels) - lossAfter) < 1e-5, $"loss after {Bce(after, labels)}, PyTorch {lossAfter}");
    }

    private static double Bce(float[] logits, float[] labels) =>
        logits.Zip(labels, (x, y) => Math.Max(x, 0) - x * y + Math.Log(1 + Math.Exp(-Math.Abs(x)))).Average();
}
