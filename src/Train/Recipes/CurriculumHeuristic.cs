namespace SearchRerank.Train.Recipes;

/// <summary>
/// Difficulty heuristics of MacAvaney et al., "Training Curricula for Open Domain Answer Re-Ranking" (SIGIR 2020):
/// both read the first stage's opinion of a sample; a relevant document the first stage ranks high, or a non-relevant
/// one it ranks low, is easy (weight near 1), the opposite is hard (weight near 0).
/// </summary>
public enum CurriculumHeuristic
{
    /// <summary>D = 1/rank for a relevant document, 1 − 1/rank for a non-relevant one (rank in the first-stage list, from 1).</summary>
    ReciprocalRank,

    /// <summary>D = min-max normalised first-stage score over the query's candidates for a relevant document, 1 − that for a non-relevant one.</summary>
    NormalizedScore,
}
