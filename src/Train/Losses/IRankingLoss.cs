using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// A loss over groups of scored (query, document) pairs, the objectives of the ranking stages (one class per file,
/// as sentence-transformers' cross-encoder losses). Pure tensor arithmetic: no I/O, no model.
/// </summary>
internal interface IRankingLoss
{
    /// <summary>The smallest group the loss is defined on (1 for pointwise losses).</summary>
    int MinimumGroupSize { get; }

    /// <summary>
    /// The mean loss of a micro-batch, a scalar tensor with the graph of <paramref name="scores"/>.
    /// <paramref name="scores"/> are the logits of <see cref="RankingTargets.Groups"/> consecutive groups of
    /// <see cref="RankingTargets.GroupSize"/> pairs ([batch]); each group's term is multiplied by its weight.
    /// Throws <see cref="ArgumentException"/> naming the loss and the bad value when the targets do not fit it.
    /// </summary>
    Tensor Compute(Tensor scores, RankingTargets targets);
}
