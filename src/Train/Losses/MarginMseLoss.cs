using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// Margin-MSE (Hofstätter et al., "Improving Efficient Neural Ranking Models with Cross-Architecture Knowledge
/// Distillation", 2020): per group, for each j ≥ 1, ((s_0 − s_j) − (t_0 − t_j))², the student's margin to the list head
/// against the teacher's; mean over those terms. Labels are the teacher's scores.
/// </summary>
internal sealed class MarginMseLoss : IRankingLoss
{
    public int MinimumGroupSize => 2;

    public Tensor Compute(Tensor scores, RankingTargets targets)
    {
        targets.Check(nameof(MarginMseLoss), (int)scores.shape[0], MinimumGroupSize, needsLabels: true);
        using var scope = NewDisposeScope();
        var s = scores.view(targets.Groups, targets.GroupSize);
        var t = GroupMean.Labels(s, targets);
        long rest = targets.GroupSize - 1;
        var student = s.narrow(1, 0, 1) - s.narrow(1, 1, rest);
        var teacher = t.narrow(1, 0, 1) - t.narrow(1, 1, rest);
        return GroupMean.Of((student - teacher).pow(2), targets).MoveToOuterDisposeScope();
    }

    public override string ToString() => "MarginMseLoss()";
}
