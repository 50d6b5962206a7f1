using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// RankNet (Burges et al., "Learning to Rank using Gradient Descent", ICML 2005): within each group, every ordered
/// pair (i, j) with label_i &gt; label_j costs log(1 + e^{−(s_i − s_j)}); mean over those pairs, each weighted by its
/// group's weight. Labels are grades (a teacher's max_rank − rank + 1); tied labels form no pair.
/// </summary>
internal sealed class RankNetLoss : IRankingLoss
{
    public int MinimumGroupSize => 2;

    public Tensor Compute(Tensor scores, RankingTargets targets)
    {
        targets.Check(nameof(RankNetLoss), (int)scores.shape[0], MinimumGroupSize, needsLabels: true);
        using var scope = NewDisposeScope();
        var s = scores.view(targets.Groups, targets.GroupSize);
        var labels = GroupMean.Labels(s, targets);
        // pairs[g, i, j] = 1 where label_i > label_j; log(1 + e^{-(s_i - s_j)}) = softplus(s_j - s_i).
        var pairs = labels.unsqueeze(2).gt(labels.unsqueeze(1)).to(ScalarType.Float32);
        var terms = nn.functional.softplus(s.unsqueeze(1) - s.unsqueeze(2)) * pairs;
        if (targets.GroupWeights is not null)
            terms = terms * torch.tensor(targets.GroupWeights, [targets.Groups, 1, 1], ScalarType.Float32, s.device);
        double count = pairs.sum().item<float>();
        // All labels tied: nothing to learn, but the graph stays so backward still works.
        var loss = count > 0 ? terms.sum() / count : s.sum() * 0.0;
        return loss.MoveToOuterDisposeScope();
    }

    public override string ToString() => "RankNetLoss()";
}
