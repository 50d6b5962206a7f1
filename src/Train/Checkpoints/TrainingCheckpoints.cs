using SearchRerank.Core;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using TorchSharp;
using TorchSharp.Modules;

namespace SearchRerank.Train.Checkpoints;

/// <summary>
/// A run's checkpoints: each one the model's weights, the stage's best weights so far (when validation found one),
/// its weight average (when the stage keeps one),
/// the weights of the stage's own head (when it has one: masked-LM), the optimizer state, libtorch's generator state and the <see cref="CheckpointState"/>, written as one
/// <see cref="CheckpointStore"/> generation (complete or absent, every file written atomically).
/// </summary>
internal sealed class TrainingCheckpoints
{
    public const string BestWeightsFile = "best.safetensors";
    public const string ExtraWeightsFile = "head.safetensors";
    public const string AverageWeightsFile = "average.safetensors";
    public const string OptimizerFile = "optimizer.state";
    public const string RandomFile = "rng.state";

    private readonly CheckpointStore store;

    public TrainingCheckpoints(string directory, string fingerprint)
    {
        store = new CheckpointStore(directory);
        Fingerprint = fingerprint;
    }

    public string Fingerprint { get; }

    /// <summary>
    /// The checkpoint to continue from: null for a fresh run. A checkpoint without <see cref="TrainingInputs.Resume"/>,
    /// or one made with another recipe or other inputs, is refused.
    /// </summary>
    public ResumePoint? Resume(TrainingInputs inputs)
    {
        string? folder = store.Latest();
        if (folder is null)
            return null;
        if (!inputs.Resume)
            throw new TrainingException($"{inputs.OutputDirectory} already holds a training checkpoint; pass --resume to continue it or choose another output folder");
        var state = CheckpointStore.ReadState(folder);
        if (state.RecipeFingerprint != Fingerprint)
            throw new TrainingException($"{folder}: the checkpoint was made with a different recipe or different inputs; resume needs the same ones");
        return new ResumePoint(folder, state);
    }

    /// <summary>Describes the newest checkpoint for an error message ("no checkpoint was written yet" when there is none).</summary>
    public string DescribeLatest()
    {
        if (store.Latest() is not { } folder)
            return "no checkpoint was written yet";
        var state = CheckpointStore.ReadState(folder);
        return $"the last checkpoint ({Path.GetFileName(folder)}, stage {state.Stage} step {state.Step}) is intact";
    }

    public void Save(CheckpointState state, BertForSequenceClassification model, CrossEncoderOptimizer optimizer, IReadOnlyDictionary<string, NamedTensor>? best,
        IReadOnlyDictionary<string, NamedTensor>? average, IReadOnlyList<(string Name, Parameter Parameter)> extra)
    {
        var weights = model.Weights();
        NonFinite.Require(weights, $"checkpoint of stage {state.Stage} step {state.Step}");
        var head = Copies(extra);
        NonFinite.Require(head, $"head of stage {state.Stage} step {state.Step}");
        byte[] random = TorchRuntime.RandomState();
        store.Save(state, folder =>
        {
            SafeTensors.Write(Path.Combine(folder, CheckpointStore.WeightsFile), weights);
            if (best is not null)
                SafeTensors.Write(Path.Combine(folder, BestWeightsFile), best);
            if (average is not null)
                SafeTensors.Write(Path.Combine(folder, AverageWeightsFile), average);
            if (head.Count > 0)
                SafeTensors.Write(Path.Combine(folder, ExtraWeightsFile), head);
            AtomicFile.WriteStream(Path.Combine(folder, OptimizerFile), optimizer.Save);
            AtomicFile.WriteStream(Path.Combine(folder, RandomFile), stream => stream.Write(random));
        });
    }

    private static Dictionary<string, NamedTensor> Copies(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        using var scope = torch.NewDisposeScope();
        return parameters.ToDictionary(p => p.Name, p => new NamedTensor(p.Parameter.shape, p.Parameter.detach().cpu().contiguous().data<float>().ToArray()), StringComparer.Ordinal);
    }
}
