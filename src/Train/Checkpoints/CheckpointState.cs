namespace SearchRerank.Train.Checkpoints;

/// <summary>
/// Where a run stands, saved with every checkpoint beside the weights, the optimizer state (AdamW moments, step
/// counter: the scheduler's position) and libtorch's generator state. Together they are all a resumed run needs.
/// </summary>
/// <param name="RecipeFingerprint">Hash of the recipe text and inputs; a resume with a different recipe is refused.</param>
/// <param name="Stage">Index of the stage in progress.</param>
/// <param name="Step">Optimizer steps finished in that stage.</param>
/// <param name="StageDone">The stage has ended (steps used up or early stop) and the model holds its best weights.</param>
/// <param name="BestNdcg">Best validation nDCG@10 of the stage so far (−1: none yet).</param>
/// <param name="SinceBest">Validations since the best one (early-stopping patience).</param>
/// <param name="LogBytes">Length of the training log that belongs to this state; a resume cuts the log back to it.</param>
/// <param name="SamplerPosition">
/// Groups the stage's sampler has handed out. Groups are a pure function of (seed, position), so this is the whole
/// sampler state; a resume checks it against the step.
/// </param>
internal sealed record CheckpointState(
    string RecipeFingerprint,
    int Stage,
    long Step,
    bool StageDone,
    double BestNdcg,
    long BestStep,
    int SinceBest,
    double LastNdcg,
    long LogBytes,
    long SamplerPosition);
