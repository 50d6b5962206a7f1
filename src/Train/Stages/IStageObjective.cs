using SearchRerank.Train.Modeling;
using TorchSharp.Modules;

namespace SearchRerank.Train.Stages;

/// <summary>
/// What a stage optimizes: the loss of the micro-batch that starts at a position of the stage's endless stream of
/// training items (groups of pairs for the ranking objectives). Items are a pure function of (seed, position), so a
/// resumed run draws exactly what the uninterrupted run drew. <see cref="StageLoop"/> owns the optimizer, validation
/// and checkpoints; an objective only turns items into a loss, so objectives with another head (masked-LM on the
/// index's documents) or another source of targets (an in-process teacher) fit in beside the ranking one.
/// </summary>
internal interface IStageObjective
{
    /// <summary>Items in one pass over the stage's data (an epoch).</summary>
    long ItemsPerEpoch { get; }

    /// <summary>
    /// Trainable parameters the objective adds beside the model's (a head of its own), by Hugging Face name; empty for
    /// ranking. They are optimized and checkpointed with the model but never exported.
    /// </summary>
    IReadOnlyList<(string Name, Parameter Parameter)> ExtraParameters { get; }

    /// <summary>
    /// Whether validation nDCG@10 measures what the objective trains. A stage that trains no ranking (masked-LM) is
    /// not validated and ends on its last weights instead of its best validated ones.
    /// </summary>
    bool Validates { get; }

    /// <summary>
    /// The loss of the <paramref name="count"/> items starting at <paramref name="position"/>, at optimizer step
    /// <paramref name="step"/> of the stage (curricula anneal with it). Tensors belong to the caller's dispose scope.
    /// </summary>
    MicroBatchLoss Loss(BertForSequenceClassification model, long position, int count, long step);
}
