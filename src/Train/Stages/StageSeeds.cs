using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Stages;

/// <summary>Per-stage seeds and the seeded caps on how much data a stage takes.</summary>
internal static class StageSeeds
{
    /// <summary>The sampling seed of stage <paramref name="index"/>: stages draw independent streams from one recipe seed.</summary>
    public static long Of(TrainingRecipe recipe, int index) => recipe.Seed + 1_000_003L * index;

    /// <summary>At most <paramref name="max"/> items (0 = all), picked by seed so the choice is reproducible, in their original order.</summary>
    public static IReadOnlyList<T> Cap<T>(IReadOnlyList<T> items, int max, long seed)
    {
        if (max <= 0 || items.Count <= max)
            return items;
        var picked = SplitMix64.For(seed, 17).Choose(items.Count, max);
        Array.Sort(picked);
        return picked.Select(i => items[i]).ToArray();
    }
}
