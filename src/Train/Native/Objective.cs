// SearchRerank — what one training step optimises.
namespace SearchRerank.Train.Native;

/// <summary>
/// The loss of a micro-batch made of consecutive groups of <see cref="GroupSize"/> pairs.
/// <see cref="Labels"/>: one per pair (targets for BCE, teacher scores otherwise); may be null only for LCE.
/// <see cref="GroupWeights"/>: null (all 1) or one per group; each group's term is multiplied by its weight before
/// the mean (a curriculum). <see cref="Temperature"/> applies to <see cref="LossKind.ListwiseKl"/> only.
/// </summary>
public sealed record Objective(LossKind Kind, int GroupSize, float[]? Labels = null, float[]? GroupWeights = null, double Temperature = 1.0)
{
    public override string ToString() => $"{Kind}(group={GroupSize}{(Kind == LossKind.ListwiseKl ? $",T={Temperature}" : "")})";
}
