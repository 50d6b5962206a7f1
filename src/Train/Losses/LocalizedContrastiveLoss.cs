using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// Localized contrastive estimation (Gao, Dai &amp; Callan, "Rethink Training of BERT Rerankers in Multi-Stage
/// Retrieval Pipeline", ECIR 2021): per group, softmax cross-entropy with the first pair as the positive and the
/// others as negatives from the first stage's own top list, −log(e^{s_0} / Σ_j e^{s_j}); mean over groups.
/// Labels are not used.
/// </summary>
internal sealed class LocalizedContrastiveLoss : IRankingLoss
{
    public int MinimumGroupSize => 2;

    public Tensor Compute(Tensor scores, RankingTargets targets)
    {
        targets.Check(nameof(LocalizedContrastiveLoss), (int)scores.shape[0], MinimumGroupSize, needsLabels: false);
        using var scope = NewDisposeScope();
        var s = scores.view(targets.Groups, targets.GroupSize);
        return GroupMean.Of(-s.log_softmax(1).select(1, 0), targets).MoveToOuterDisposeScope();
    }

    public override string ToString() => "LocalizedContrastiveLoss()";
}
