using System.Text.Json;
using SearchRerank.Train.Native;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Engine;

/// <summary>The reference training step of ../shared/reference/train-step.json: eval-mode BCE, then p −= 3e-5·grad.</summary>
[Collection(EngineCollection.Name)]
public sealed class TrainStepTests
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
        var before = model.Forward(batch);
        var expectedBefore = root.GetProperty("logits_before").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < rows; i++)
            Assert.True(Math.Abs(before[i] - expectedBefore[i]) < 1e-4, $"logit {i}: {before[i]} vs {expectedBefore[i]}");

        var options = new TrainerOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 3e-5, Schedule = ScheduleKind.Constant, MaxGradNorm = 0, WeightDecay = 0, Dropout = false };
        using var trainer = TorchTrainer.Create(model, options);
        double loss = trainer.Step(batch, new Objective(LossKind.BinaryCrossEntropy, 1, labels));
        double lossBefore = root.GetProperty("loss_before").GetDouble();
        Assert.True(Math.Abs(loss - lossBefore) < 1e-5, $"loss {loss}, PyTorch {lossBefore}");
        Assert.Equal(1, trainer.OptimizerStep);

        foreach (var norm in root.GetProperty("grad_l2_norm").EnumerateObject())
        {
            double expected = norm.Value.GetDouble();
            double actual = trainer.GradNorm(norm.Name);
            Assert.True(Math.Abs(actual - expected) <= 1e-3 * expected + 1e-6, $"{norm.Name}: grad norm {actual}, PyTorch {expected}");
        }
        double biasGrad = root.GetProperty("classifier_bias_grad")[0].GetDouble();
        Assert.Equal(Math.Abs(biasGrad), trainer.GradNorm("classifier.bias"), 4);

        var after = model.Forward(batch);
        var expectedAfter = root.GetProperty("logits_after").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < rows; i++)
            Assert.True(Math.Abs(after[i] - expectedAfter[i]) < 1e-4, $"logit after {i}: {after[i]} vs {expectedAfter[i]}");
        double lossAfter = root.GetProperty("loss_after").GetDouble();
        Assert.True(Math.Abs(Bce(after, labels) - lossAfter) < 1e-5, $"loss after {Bce(after, labels)}, PyTorch {lossAfter}");
    }

    private static double Bce(float[] logits, float[] labels) =>
        logits.Zip(labels, (x, y) => Math.Max(x, 0) - x * y + Math.Log(1 + Math.Exp(-Math.Abs(x)))).Average();
}
