// SearchRerank — optimizer and schedule settings of a TorchTrainer.
namespace SearchRerank.Train.Native;

/// <summary>
/// AdamW with decoupled weight decay (not on biases and LayerNorm weights, as Hugging Face), a warmup + linear
/// decay schedule over <see cref="TotalSteps"/> optimizer steps, gradient accumulation over
/// <see cref="AccumulationSteps"/> micro-batches and global-norm clipping at <see cref="MaxGradNorm"/> (≤ 0: off).
/// <see cref="Dropout"/> false trains in eval mode (deterministic forward, for checks).
/// </summary>
public sealed record TrainerOptions
{
    public double LearningRate { get; init; } = 2e-5;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    public long WarmupSteps { get; init; }
    public long TotalSteps { get; init; }
    public int AccumulationSteps { get; init; } = 1;
    public double MaxGradNorm { get; init; } = 10.0;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Linear;
    public bool Dropout { get; init; } = true;

    public override string ToString() =>
        $"{Optimizer}(lr={LearningRate},wd={WeightDecay},betas=({Beta1},{Beta2}),eps={Epsilon},warmup={WarmupSteps},total={TotalSteps},accum={AccumulationSteps},clip={MaxGradNorm},{Schedule},dropout={Dropout})";
}
