using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Recipes;

/// <summary>
/// Held-out validation: <see cref="Count"/> queries, or <see cref="Fraction"/> of the training queries, set aside by seed,
/// each re-ranking its BM25 top <see cref="Depth"/>; nDCG@10 picks the best checkpoint and the fusion weight.
/// </summary>
/// <param name="Patience">Stop a stage after this many validations without improvement (0: never stop early).</param>
public sealed record ValidationSpec(int Count, double Fraction, int Depth, int Patience)
{
    /// <summary>How the fusion weight is picked on the validation queries (recipe field <c>alpha_selection</c>).</summary>
    public AlphaSelection AlphaSelection { get; init; } = AlphaSelection.Best;

    /// <summary>
    /// The fusion weight written to fusion.json when nothing is held out: the recipe field <c>fusion_alpha</c> (only
    /// with <c>validation_queries</c> 0), else <see cref="ModelFolder.UnvalidatedAlpha"/>.
    /// </summary>
    public double UnvalidatedAlpha { get; init; } = ModelFolder.UnvalidatedAlpha;

    /// <summary>How the validation queries are drawn (recipe field <c>validation_split</c>).</summary>
    public ValidationSplit Split { get; init; } = ValidationSplit.Random;

    /// <summary>How many of <paramref name="available"/> queries to hold out.</summary>
    public int HeldOut(int available) =>
        Math.Min(available, Count > 0 ? Count : (int)Math.Round(Fraction * available, MidpointRounding.AwayFromZero));
}
