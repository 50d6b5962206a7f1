using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>Tensors of the targets on the scores' device, and the weighted mean every group loss ends with.</summary>
internal static class GroupMean
{
    /// <summary>Labels as [groups, group size].</summary>
    public static Tensor Labels(Tensor scores, RankingTargets targets) =>
        torch.tensor(targets.Labels!, [targets.Groups, targets.GroupSize], ScalarType.Float32, scores.device);

    /// <summary>
    /// Mean over all terms of weight_g · term, the weights broadcast over a group's terms ([groups] or [groups, …]);
    /// without weights the plain mean.
    /// </summary>
    public static Tensor Of(Tensor terms, RankingTargets targets)
    {
        if (targets.GroupWeights is null)
            return terms.mean();
        long[] shape = new long[terms.dim()];
        Array.Fill(shape, 1L);
        shape[0] = targets.Groups;
        using var weights = torch.tensor(targets.GroupWeights, shape, ScalarType.Float32, terms.device);
        return (terms * weights).mean();
    }
}
