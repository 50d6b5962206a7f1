namespace SearchRerank.Train.Recipes;

/// <summary>
/// One training stage. Stage n+1 starts from stage n's final weights; the optimizer starts afresh.
/// Exactly one of <see cref="Steps"/> and <see cref="Epochs"/> is positive.
/// </summary>
/// <param name="Batch">Training groups per micro-batch.</param>
/// <param name="GroupSize">Documents per group: 1 positive + (GroupSize − 1) negatives, or the teacher's top GroupSize.</param>
/// <param name="GradAccumulation">Micro-batches whose gradients are summed into one optimizer step.</param>
/// <param name="Warmup">Optimizer steps of linear warm-up from 0 to <see cref="LearningRate"/>, then linear decay to 0.</param>
/// <param name="Depth">BM25 candidates per query from which negatives are drawn.</param>
/// <param name="ValidationInterval">Validate every this many optimizer steps (0: only at the stage's end).</param>
/// <param name="SkipNegativesAbovePositive">
/// Leave out the negatives the first stage ranks above the query's best judged positive, as likely unjudged relevant
/// documents (recipe spelling <c>"false_negatives": "skip_above_positive"</c>; see <see cref="Sampling.FalseNegativeFilter"/>).
/// </param>
/// <param name="OtherPositives">
/// Up to this many of a group's negatives are drawn from the first-stage pool's documents that are judged positives of
/// other training queries (recipe spelling <c>"other_positives": n</c>), so being a training positive is no shortcut.
/// </param>
/// <param name="EmaDecay">
/// Decay of the stage's exponential moving average of its weights (recipe spelling <c>"ema_decay"</c>, 0: none); with one,
/// validation, the kept best weights and the stage's end use the average (<see cref="Optimization.WeightAverage"/>).
/// </param>
public sealed record StageSpec(
    string Name,
    TrainingObjective Objective,
    StageData Data,
    double LearningRate,
    double WeightDecay,
    int Warmup,
    int Steps,
    int Epochs,
    int Batch,
    int GroupSize,
    int GradAccumulation,
    int MaxLength,
    double ClipNorm,
    int Depth,
    int ValidationInterval,
    CurriculumSpec? Curriculum,
    bool SkipNegativesAbovePositive = false,
    int OtherPositives = 0,
    double EmaDecay = 0)
{
    public override string ToString() =>
        $"{Name}({ObjectiveNames.Name(Objective)},data={Data.Source}{(Data.WeakQueries > 0 ? $"+{Data.WeakQueries} title queries" : "")},lr={LearningRate:g},wd={WeightDecay:g},warmup={Warmup}," +
        (Steps > 0 ? $"steps={Steps}" : $"epochs={Epochs}") +
        $",batch={Batch},group={GroupSize},accum={GradAccumulation},maxlen={MaxLength},clip={ClipNorm:g},depth={Depth}" +
        (SkipNegativesAbovePositive ? ",negatives=below_positive" : "") + (OtherPositives > 0 ? $",other_positives={OtherPositives}" : "") +
        (EmaDecay > 0 ? $",ema_decay={EmaDecay:g})" : ")");
}
