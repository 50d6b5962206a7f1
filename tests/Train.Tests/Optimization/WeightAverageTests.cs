using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using SearchRerank.Train.Tests.Modeling;

namespace SearchRerank.Train.Tests.Optimization;

[Collection(TorchCollection.Name)]
public sealed class WeightAverageTests
{
    /// <summary>The model's weights with every value replaced by <paramref name="value"/> plus a per-element offset.</summary>
    private static Dictionary<string, NamedTensor> Filled(BertForSequenceClassification model, float value) =>
        model.Weights().ToDictionary(w => w.Key, w => new NamedTensor(w.Value.Shape, w.Value.Data.Select((_, i) => value + i % 7 * 0.01f).ToArray()), StringComparer.Ordinal);

    [Fact]
    public void KeepWarmsUpToTheDecay()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        using var average = new WeightAverage(model, 0.99);
        Assert.Equal(2.0 / 11, average.Keep(1), 12);
        Assert.Equal(11.0 / 20, average.Keep(10), 12);
        Assert.Equal(0.99, average.Keep(1000), 12);
    }

    [Fact]
    public void UpdatesFollowTheClosedFormFromTheStartingWeights()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        model.LoadWeights(Filled(model, 1f), "start");
        using var average = new WeightAverage(model, 0.5);
        float[] values = [3f, -2f, 5f];
        for (int t = 1; t <= values.Length; t++)
        {
            model.LoadWeights(Filled(model, values[t - 1]), $"step {t}");
            average.Update(t);
        }
        // keep: min(0.5, 2/11), min(0.5, 3/12), min(0.5, 4/13) = 2/11, 1/4, 4/13.
        double expected = 1;
        foreach (var (keep, value) in new[] { (2.0 / 11, 3.0), (0.25, -2.0), (4.0 / 13, 5.0) })
            expected = keep * expected + (1 - keep) * value;
        var weights = average.Weights();
        Assert.Equal(model.Weights().Keys.Order(), weights.Keys.Order());
        foreach (var (name, tensor) in weights)
            for (int i = 0; i < Math.Min(tensor.Data.Length, 20); i++)
                Assert.Equal(expected + i % 7 * 0.01, tensor.Data[i], 4);
        // The model's own parameters are untouched by averaging.
        Assert.Equal(5f, model.Weights()["classifier.bias"].Data[0]);
    }

    [Fact]
    public void WithAverageScoresTheAverageAndPutsTheTrainedWeightsBackEvenOnError()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        model.LoadWeights(Filled(model, 1f), "start");
        using var average = new WeightAverage(model, 0.9);
        model.LoadWeights(Filled(model, 2f), "trained");
        Assert.Equal(1f, average.WithAverage(() => model.Weights()["classifier.bias"].Data[0]));
        Assert.Throws<InvalidOperationException>(() => average.WithAverage<int>(() => throw new InvalidOperationException("validation failed")));
        Assert.Equal(2f, model.Weights()["classifier.bias"].Data[0]);
    }

    [Fact]
    public void LoadRestoresASavedAverageAndRefusesAnotherLayout()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        using var average = new WeightAverage(model, 0.9);
        var saved = Filled(model, 4f);
        average.Load(saved, "ckpt/average.safetensors");
        Assert.Equal(saved["classifier.bias"].Data, average.Weights()["classifier.bias"].Data);

        var missing = new Dictionary<string, NamedTensor>(saved);
        missing.Remove("classifier.bias");
        var error = Assert.Throws<InvalidDataException>(() => average.Load(missing, "ckpt/average.safetensors"));
        Assert.Contains("ckpt/average.safetensors", error.Message);
        Assert.Contains("classifier.bias", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void DecayOutsideTheOpenUnitIntervalIsRefused(double decay)
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightAverage(model, decay));
    }
}
