namespace SearchRerank.Train.Optimization;

/// <summary>
/// How a stage updates the weights: AdamW (weight decay on every parameter but biases and LayerNorm weights, as
/// transformers' Trainer), <see cref="WarmupSteps"/> of linear warm-up then linear decay to 0 at
/// <see cref="TotalSteps"/> (<see cref="LinearWarmupSchedule"/>), gradients summed over
/// <see cref="AccumulationSteps"/> micro-batches, and global-norm clipping at <see cref="MaxGradNorm"/> (≤ 0: off).
/// </summary>
internal sealed record OptimizerSettings
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.AdamW;
    public double LearningRate { get; init; } = 2e-5;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    public long WarmupSteps { get; init; }
    public long TotalSteps { get; init; } = 1;
    /// <summary>False keeps the learning rate constant after the warm-up (for checks).</summary>
    public bool Decay { get; init; } = true;
    public int AccumulationSteps { get; init; } = 1;
    public double MaxGradNorm { get; init; } = 10.0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(OptimizerSettings)}: {message}");
        }
        Require(double.IsFinite(LearningRate) && LearningRate >= 0, $"learning rate must be finite and >= 0, got {LearningRate}");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"weight decay must be >= 0, got {WeightDecay}");
        Require(Beta1 is >= 0 and < 1, $"beta1 must be in [0, 1), got {Beta1}");
        Require(Beta2 is >= 0 and < 1, $"beta2 must be in [0, 1), got {Beta2}");
        Require(Epsilon > 0, $"epsilon must be positive, got {Epsilon}");
        Require(WarmupSteps >= 0, $"warmup steps must be >= 0, got {WarmupSteps}");
        Require(!Decay || TotalSteps > 0, $"total steps must be positive for the linear decay, got {TotalSteps}");
        Require(AccumulationSteps >= 1, $"accumulation steps must be >= 1, got {AccumulationSteps}");
    }

    public override string ToString() =>
        $"{Kind}(lr={LearningRate:g},wd={WeightDecay:g},betas=({Beta1:g},{Beta2:g}),eps={Epsilon:g},warmup={WarmupSteps},total={TotalSteps},{(Decay ? "linear" : "constant")},accum={AccumulationSteps},clip={MaxGradNorm:g})";
}
