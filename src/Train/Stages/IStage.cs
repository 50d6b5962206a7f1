using SearchRerank.Train.Recipes;

namespace SearchRerank.Train.Stages;

/// <summary>
/// One stage of a recipe: it gathers its training data (mining the first stage, reading a teacher run) and returns the
/// objective that <see cref="StageLoop"/> optimizes. Stage n+1 starts from stage n's best weights with a fresh optimizer.
/// </summary>
internal interface IStage
{
    StageSpec Spec { get; }

    IStageObjective Prepare(TrainingSession session, int index);
}
