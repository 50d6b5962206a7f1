using System.Globalization;
using SearchRerank.Train;

namespace SearchRerank.Cli.Output;

/// <summary>
/// A training run's progress as one <see cref="ProgressLine"/> per stage: steps done of the stage's total, the time
/// left, and the loss, pairs per second and last validation nDCG@10 as detail; mining and validation show as the
/// phase. Used by <c>train</c> and <c>quickstart</c>. Dispose ends the last line.
/// </summary>
internal sealed class TrainingProgressLines(CliOutput output) : IProgress<TrainProgress>, IDisposable
{
    private ProgressLine? line;
    private int stage = -1;
    private long step;
    private long? total;

    public void Report(TrainProgress p)
    {
        if (p.StageIndex != stage)
        {
            line?.Dispose();
            stage = p.StageIndex;
            (step, total) = (0, null);
            line = output.Progress($"stage {p.StageIndex + 1}/{p.StageCount} {p.Stage}", "steps", "steps/s");
        }
        // Mining and export report no step of their own: the line keeps the count the stage has reached.
        if (p.Phase == "training" || p.Step > 0)
            (step, total) = (p.Step, p.TotalSteps > 0 ? p.TotalSteps : null);
        var validation = p.LastValidationNdcg is { } ndcg ? ndcg.ToString("F4", CultureInfo.InvariantCulture) : "–";
        var detail = p.Phase == "training"
            ? string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:F4}, {p.PairsPerSecond:F1} pairs/s, validation nDCG@10 {validation}")
            : $"{p.Phase}…, validation nDCG@10 {validation}";
        line!.Update(step, total, detail);
    }

    public void Dispose() => line?.Dispose();
}
