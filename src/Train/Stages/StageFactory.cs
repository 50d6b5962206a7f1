using SearchRerank.Train.Recipes;

namespace SearchRerank.Train.Stages;

/// <summary>The stage that runs a recipe entry: by where its data comes from.</summary>
internal static class StageFactory
{
    public static IStage For(StageSpec spec) => spec.Data.Source switch
    {
        DataSource.Teacher => new DistillationStage(spec),
        DataSource.Qrels or DataSource.Weak => new ContrastiveStage(spec),
        DataSource.Documents => new MaskedLmStage(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Data.Source, "unknown data source"),
    };
}
