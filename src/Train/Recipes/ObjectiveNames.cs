namespace SearchRerank.Train.Recipes;

/// <summary>Recipe spelling of <see cref="TrainingObjective"/> values, and which of them need teacher scores.</summary>
internal static class ObjectiveNames
{
    private static readonly (string Name, TrainingObjective Objective)[] Table =
    [
        ("bce", TrainingObjective.Bce),
        ("lce", TrainingObjective.Lce),
        ("ranknet", TrainingObjective.RankNet),
        ("listkl", TrainingObjective.ListKl),
        ("marginmse", TrainingObjective.MarginMse),
        ("mlm", TrainingObjective.Mlm),
    ];

    /// <summary>The allowed spellings, in documentation order.</summary>
    public static IReadOnlyList<string> Allowed { get; } = Table.Select(t => t.Name).ToArray();

    public static bool TryParse(string name, out TrainingObjective objective)
    {
        foreach (var (n, o) in Table)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                objective = o;
                return true;
            }
        }
        objective = default;
        return false;
    }

    public static string Name(TrainingObjective objective) => Table.First(t => t.Objective == objective).Name;

    /// <summary>Distillation objectives learn from a teacher run's ranking (RankNet) or scores (ListKL, MarginMSE).</summary>
    public static bool NeedsTeacher(TrainingObjective objective) => objective is TrainingObjective.RankNet or TrainingObjective.ListKl or TrainingObjective.MarginMse;
}
