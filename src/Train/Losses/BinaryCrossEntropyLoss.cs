using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// Pointwise binary cross-entropy on logits, −[y·log σ(s) + (1 − y)·log(1 − σ(s))], mean over pairs (the "monoT5 /
/// monoBERT" pointwise objective; Nogueira &amp; Cho, "Passage Re-ranking with BERT", 2019). Labels in [0, 1].
/// </summary>
internal sealed class BinaryCrossEntropyLoss : IRankingLoss
{
    public int MinimumGroupSize => 1;

    public Tensor Compute(Tensor scores, RankingTargets targets)
    {
        targets.Check(nameof(BinaryCrossEntropyLoss), (int)scores.shape[0], MinimumGroupSize, needsLabels: true);
        for (int i = 0; i < targets.Labels!.Length; i++)
            if (targets.Labels[i] is < 0 or > 1)
                throw new ArgumentException($"{nameof(BinaryCrossEntropyLoss)}: labels[{i}] = {targets.Labels[i]} is outside [0, 1]");
        using var scope = NewDisposeScope();
        var s = scores.view(targets.Groups, targets.GroupSize);
        var terms = nn.functional.binary_cross_entropy_with_logits(s, GroupMean.Labels(s, targets), reduction: nn.Reduction.None);
        return GroupMean.Of(terms, targets).MoveToOuterDisposeScope();
    }

    public override string ToString() => "BinaryCrossEntropyLoss()";
}
