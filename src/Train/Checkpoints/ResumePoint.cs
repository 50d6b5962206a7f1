using SearchRerank.Train.Model;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;

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

    /// <summary>The optimizer's moments and step, and libtorch's generator, as they were at the checkpoint.</summary>
    public void RestoreTraining(CrossEncoderOptimizer optimizer)
    {
        string path = Path.Combine(Folder, TrainingCheckpoints.OptimizerFile);
        using (var stream = File.OpenRead(path))
            optimizer.Load(stream, path);
        TorchRuntime.SetRandomState(File.ReadAllBytes(Path.Combine(Folder, TrainingCheckpoints.RandomFile)));
    }
}
