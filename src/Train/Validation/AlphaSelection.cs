namespace SearchRerank.Train.Validation;

/// <summary>How <see cref="Validator.TuneFusion"/> picks the fusion weight α from its grid.</summary>
public enum AlphaSelection
{
    /// <summary>The α with the highest validation nDCG@10 (the smallest among equals: the model is trusted).</summary>
    Best,

    /// <summary>
    /// The one-standard-error rule (Breiman et al., 1984; Hastie et al., ESL §7.10) pointed at α = 0.5: of the α whose
    /// mean nDCG@10 is within one standard error of the best (the error of the per-query paired differences with the
    /// best α), the one closest to equal weight. A split of 80 queries cannot tell α = 0 from α = 0.5 when they differ by
    /// less than its noise, and picking the extreme then both trains a self teacher without the first stage and ships a
    /// weight that loses on other collections (docs/training.md, "What was tried": groups of 20).
    /// </summary>
    OneStandardError,
}
