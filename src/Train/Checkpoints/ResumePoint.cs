using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Checkpoints;

/// <summary>The checkpoint a run continues from: its folder and state, and the means to put a model and optimizer back where they were.</summary>
internal sealed class ResumePoint(string folder, CheckpointState state)
{
    public string Folder { get; } = folder;

    public CheckpointState State { get; } = state;

    public void RestoreWeights(BertForSequenceClassification model) =>
        model.LoadWeights(SafeTensors.Read(Path.Combine(Folder, CheckpointStore.WeightsFile)), Path.Combine(Folder, CheckpointStore.WeightsFile));

    /// <summary>The stage's best weights so far, or null when its validation had not found any yet.</summary>
    public Dictionary<string, NamedTensor>? BestWeights()
    {
        string path = Path.Combine(Folder, TrainingCheckpoints.BestWeightsFile);
        return File.Exists(path) ? new Dictionary<string, NamedTensor>(SafeTensors.Read(path), StringComparer.Ordinal) : null;
    }

    /// <summary>Puts the stage's weight average (<see cref="TrainingCheckpoints.AverageWeightsFile"/>) back.</summary>
    public void RestoreAverage(WeightAverage average)
    {
        string path = Path.Combine(Folder, TrainingCheckpoints.AverageWeightsFile);
        if (!File.Exists(path))
            throw new TrainingException($"{path}: the checkpoint of stage {State.Stage} step {State.Step} has no weight average, which the stage's ema_decay keeps");
        average.Load(SafeTensors.Read(path), path);
    }

    /// <summary>Puts the weights of a stage's own head (<see cref="TrainingCheckpoints.ExtraWeightsFile"/>) back; nothing when it has none.</summary>
    public void RestoreExtra(IReadOnlyList<(string Name, Parameter Parameter)> extra)
    {
        if (extra.Count == 0)
            return;
        string path = Path.Combine(Folder, TrainingCheckpoints.ExtraWeightsFile);
        if (!File.Exists(path))
            throw new TrainingException($"{path}: the checkpoint of stage {State.Stage} step {State.Step} has no weights for the stage's head ({string.Join(", ", extra.Select(e => e.Name))})");
        var tensors = SafeTensors.Read(path);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in extra)
        {
            if (!tensors.TryGetValue(name, out var tensor) || !tensor.HasShape(parameter.shape))
                throw new TrainingException($"{path}: tensor '{name}' is missing or has another shape than the head's [{string.Join(", ", parameter.shape)}]");
            using var source = torch.tensor(tensor.Data, tensor.Shape, ScalarType.Float32);
            parameter.copy_(source);
        }
    }

    /// <summary>The optimizer's moments and step, and libtorch's generator, as they were at the checkpoint.</summary>
    public void RestoreTraining(CrossEncoderOptimizer optimizer)
    {
        string path = Path.Combine(Folder, TrainingCheckpoints.OptimizerFile);
        using (var stream = File.OpenRead(path))
            optimizer.Load(stream, path);
        TorchRuntime.SetRandomState(File.ReadAllBytes(Path.Combine(Folder, TrainingCheckpoints.RandomFile)));
    }
}
