using SearchRerank.Core;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Stages;

namespace SearchRerank.Train;

/// <summary>
/// Runs a <see cref="TrainingRecipe"/>: stages in order (<see cref="StageFactory"/>), each starting from the previous
/// stage's best validated weights (<see cref="StageLoop"/>: validation on held-out training queries, best-checkpoint
/// selection, optional early stopping, crash-safe checkpoints from which <see cref="TrainingInputs.Resume"/> continues
/// to bit-identical weights), then the model folder (<see cref="ModelExport"/>). Deterministic for a given seed and
/// thread count on the CPU. A cancellation ends it with a <see cref="StoppedException"/> that names the checkpoint kept.
/// </summary>
public static class Trainer
{
    public const string LogFile = "train_log.jsonl";
    public const string CheckpointFolder = "checkpoints";

    /// <summary>Trains, validates and writes the model folder; throws <see cref="TrainingException"/> on bad data or a non-finite loss.</summary>
    public static TrainingOutcome Run(TrainingRecipe recipe, TrainingInputs inputs, IProgress<TrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(inputs);
        TrainingInputCheck.Check(recipe, inputs);
        using var session = TrainingSession.Open(recipe, inputs, progress, cancellationToken);
        long steps = 0;
        try
        {
            for (int index = session.Resumed?.State.Stage ?? 0; index < recipe.Stages.Count; index++)
            {
                session.Report("mining", index, 0, 0, 0, 0, null);
                var objective = StageFactory.For(recipe.Stages[index]).Prepare(session, index);
                steps += new StageLoop(session, index, objective).Run();
            }
            var (ndcg, fusion) = ModelExport.Write(session);
            return new TrainingOutcome(inputs.OutputDirectory, steps, ndcg, fusion);
        }
        catch (OperationCanceledException ex) when (ex is not StoppedException)
        {
            // Stopped outside a stage's steps (mining negatives, ranking for a teacher, the export): nothing was lost.
            throw new StoppedException($"stopped before the model was written; {session.Checkpoints.DescribeLatest()}", ex);
        }
    }
}
