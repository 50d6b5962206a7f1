using static TorchSharp.torch;

namespace SearchRerank.Train.Losses;

/// <summary>
/// Listwise distillation: per group, KL(softmax(t/T) ‖ softmax(s/T)) between the teacher's score distribution and the
/// student's (Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", 2015, applied to rankings as
/// in the ECIR 2025 multi-stage fine-tuning study); mean over groups. Labels are the teacher's scores.
/// </summary>
internal sealed class ListwiseKlLoss : IRankingLoss
{
    public ListwiseKlLoss(double temperature = 1.0)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"{nameof(ListwiseKlLoss)}: temperature must be positive, got {temperature}");
        Temperature = temperature;
    }

    public double Temperature { get; }

    public int MinimumGroupSize => 2;

    public Tensor Compute(Tensor scores, RankingTargets targets)
    {
        targets.Check(nameof(ListwiseKlLoss), (int)scores.shape[0], MinimumGroupSize, needsLabels: true);
        using var scope = NewDisposeScope();
        var s = scores.view(targets.Groups, targets.GroupSize);
        var teacher = (GroupMean.Labels(s, targets) / Temperature).log_softmax(1);
        var student = (s / Temperature).log_softmax(1);
        var kl = (teacher.exp() * (teacher - student)).sum(1);
        return GroupMean.Of(kl, targets).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"ListwiseKlLoss(temperature={Temperature})";
}
