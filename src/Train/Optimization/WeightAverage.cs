using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Optimization;

/// <summary>
/// An exponential moving average of a model's parameters over its optimizer steps (Polyak averaging, as
/// <c>tf.train.ExponentialMovingAverage</c> and timm's <c>ModelEmaV2</c>): after update t the average is
/// a·average + (1 − a)·weights with a = min(decay, (1 + t)/(10 + t)), so the first updates follow the weights closely
/// instead of holding on to the starting point. A stage that averages validates, keeps and ends with these weights
/// rather than the last step's: the noise of small contrastive batches averages out.
/// The average lives beside the parameters, on their device; it is all of this object's state (with the update count
/// the stage's step gives), so a checkpoint saves it through <see cref="Weights"/> and a resume puts it back with <see cref="Load"/>.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    // The model's parameters are fixed objects for its lifetime (loading weights copies into them), so each is paired
    // with its average once.
    private readonly (string Name, Parameter Parameter, Tensor Average)[] averages;

    /// <param name="decay">The average's decay per step once warmed up, in (0, 1).</param>
    public WeightAverage(BertForSequenceClassification model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(decay > 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay of a weight average lies strictly between 0 and 1");
        Decay = decay;
        using var noGrad = torch.no_grad();
        averages = model.named_parameters().Select(p => (p.name, p.parameter, p.parameter.detach().clone())).ToArray();
    }

    public double Decay { get; }

    /// <summary>The weight the average keeps at update <paramref name="update"/> (1-based).</summary>
    public double Keep(long update) => Math.Min(Decay, (1.0 + update) / (10.0 + update));

    /// <summary>Folds the model's current parameters in as update <paramref name="update"/> (the stage's steps so far).</summary>
    public void Update(long update)
    {
        double keep = Keep(update);
        using var noGrad = torch.no_grad();
        foreach (var (_, parameter, average) in averages)
            average.mul_(keep).add_(parameter, alpha: 1 - keep);
    }

    /// <summary>The average as float32 CPU copies keyed by Hugging Face name, the layout of <see cref="BertForSequenceClassification.Weights"/>.</summary>
    public Dictionary<string, NamedTensor> Weights()
    {
        using var scope = torch.NewDisposeScope();
        return averages.ToDictionary(a => a.Name, a => new NamedTensor(a.Average.shape, a.Average.cpu().contiguous().data<float>().ToArray()), StringComparer.Ordinal);
    }

    /// <summary>Replaces the average with <paramref name="weights"/> (a checkpoint's); every tensor must be there with its shape, or nothing changes.</summary>
    public void Load(IReadOnlyDictionary<string, NamedTensor> weights, string source)
    {
        foreach (var (name, _, average) in averages)
            if (!weights.TryGetValue(name, out var tensor) || !tensor.HasShape(average.shape))
                throw new InvalidDataException($"{source}: tensor '{name}' is missing or has another shape than the model's [{string.Join(", ", average.shape)}]");
        if (weights.Count != averages.Length)
            throw new InvalidDataException($"{source}: {weights.Count} tensors, the model has {averages.Length} parameters");
        using var noGrad = torch.no_grad();
        foreach (var (name, _, average) in averages)
        {
            using var values = torch.tensor(weights[name].Data, weights[name].Shape, ScalarType.Float32);
            average.copy_(values);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the average in the model's parameters and puts the trained weights back
    /// afterwards (also when it throws), so training goes on from the weights the optimizer left.
    /// </summary>
    public T WithAverage<T>(Func<T> action)
    {
        Tensor[] trained;
        using (torch.no_grad())
        {
            trained = averages.Select(a => a.Parameter.detach().clone()).ToArray();
            foreach (var (_, parameter, average) in averages)
                parameter.copy_(average);
        }
        try
        {
            return action();
        }
        finally
        {
            using (torch.no_grad())
                for (int i = 0; i < averages.Length; i++)
                {
                    averages[i].Parameter.copy_(trained[i]);
                    trained[i].Dispose();
                }
        }
    }

    public void Dispose()
    {
        foreach (var (_, _, average) in averages)
            average.Dispose();
    }
}
