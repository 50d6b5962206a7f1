// SearchRerank — optimizer state and training steps of the native engine.
namespace SearchRerank.Train.Native;

/// <summary>
/// Trains a <see cref="TorchModel"/> in place. Each <see cref="Step"/> is one micro-batch; every
/// <see cref="TrainerOptions.AccumulationSteps"/>-th call applies an optimizer step. A non-finite loss or gradient
/// norm throws <see cref="TrainerException"/> with <see cref="TrainerErrorCode.NonFinite"/> and leaves the weights
/// untouched, so the caller may skip the batch and go on. The trainer borrows the model: dispose the trainer first.
/// Not thread-safe.
/// </summary>
public sealed unsafe class TorchTrainer : IDisposable
{
    private readonly TrainerHandle _handle;

    private TorchTrainer(TrainerHandle handle, TorchModel model, TrainerOptions options)
    {
        _handle = handle;
        Model = model;
        Options = options;
    }

    public TorchModel Model { get; }

    public TrainerOptions Options { get; }

    public static TorchTrainer Create(TorchModel model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var native = new SrtNative.TrainerOptions
        {
            LearningRate = options.LearningRate,
            WeightDecay = options.WeightDecay,
            Beta1 = options.Beta1,
            Beta2 = options.Beta2,
            Epsilon = options.Epsilon,
            WarmupSteps = options.WarmupSteps,
            TotalSteps = options.TotalSteps,
            AccumulationSteps = options.AccumulationSteps,
            MaxGradNorm = options.MaxGradNorm,
            Optimizer = (int)options.Optimizer,
            Schedule = (int)options.Schedule,
            Dropout = options.Dropout ? 1 : 0,
        };
        SrtStatus.Check(SrtNative.TrainerCreate(model.Handle, native, out var handle));
        return new TorchTrainer(handle, model, options);
    }

    /// <summary>Forward, loss and backward on one micro-batch; returns its (unscaled) loss.</summary>
    public double Step(EncodedBatch batch, Objective objective)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Labels is not null && objective.Labels.Length != batch.Size)
            throw new ArgumentException($"Objective {objective}: {objective.Labels.Length} labels for a batch of {batch.Size}", nameof(objective));
        double loss;
        fixed (int* ids = batch.InputIds)
        fixed (int* types = batch.TokenTypeIds)
        fixed (int* mask = batch.AttentionMask)
        fixed (int* exact = batch.ExactMatchIds)
        fixed (float* labels = objective.Labels)
        fixed (float* weights = objective.GroupWeights)
        {
            var nativeBatch = TorchModel.NativeBatch(batch, ids, types, mask, exact);
            var nativeObjective = new SrtNative.Objective
            {
                Loss = (int)objective.Kind,
                GroupSize = objective.GroupSize,
                Labels = labels,
                GroupWeights = weights,
                Temperature = objective.Temperature,
            };
            SrtStatus.Check(SrtNative.TrainerStep(_handle, nativeBatch, nativeObjective, out loss));
        }
        return loss;
    }

    /// <summary>Optimizer steps taken so far.</summary>
    public long OptimizerStep => State().Step;

    /// <summary>Learning rate the next optimizer step uses.</summary>
    public double LearningRate => State().LearningRate;

    /// <summary>Global gradient L2 norm before clipping at the last optimizer step (0 before the first).</summary>
    public double LastGradNorm => State().GradNorm;

    /// <summary>L2 norm of one parameter's current gradient (kept after a step until the next micro-batch).</summary>
    public double GradNorm(string name)
    {
        SrtStatus.Check(SrtNative.TrainerGradNorm(_handle, name, out double norm));
        return norm;
    }

    /// <summary>
    /// Writes optimizer moments, step counters and RNG state atomically to <paramref name="path"/>; call it between
    /// optimizer steps. Weights are not included: save them with <see cref="TorchModel.GetParameters"/>.
    /// </summary>
    public void Save(string path) => SrtStatus.Check(SrtNative.TrainerSave(_handle, path));

    /// <summary>Restores what <see cref="Save"/> wrote, for a trainer over a model of the same layout.</summary>
    public void Load(string path) => SrtStatus.Check(SrtNative.TrainerLoad(_handle, path));

    public void Dispose() => _handle.Dispose();

    private (long Step, double LearningRate, double GradNorm) State()
    {
        SrtStatus.Check(SrtNative.TrainerState(_handle, out long step, out double lr, out double norm));
        return (step, lr, norm);
    }
}
