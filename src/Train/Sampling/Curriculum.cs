using SearchRerank.Train.Recipes;

namespace SearchRerank.Train.Sampling;

/// <summary>
/// Training curriculum of MacAvaney et al., "Training Curricula for Open Domain Answer Re-Ranking" (SIGIR 2020):
/// a sample's weight starts at its difficulty score D(q, d) ∈ [0, 1] (high = easy, judged by the first stage) and
/// moves linearly to 1 over the first <c>m</c> steps: W = D + (i/m)·(1 − D) for i &lt; m, else 1.
/// The engine weights whole groups, so a group's D is the mean of its documents' D.
/// </summary>
internal sealed class Curriculum
{
    public Curriculum(CurriculumHeuristic heuristic, int steps)
    {
        if (steps <= 0)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "curriculum steps must be positive");
        Heuristic = heuristic;
        Steps = steps;
    }

    public CurriculumHeuristic Heuristic { get; }

    public int Steps { get; }

    /// <summary>The annealed weight of a sample with difficulty score <paramref name="d"/> at optimizer step <paramref name="step"/>.</summary>
    public double Weight(double d, long step) => step >= Steps ? 1.0 : d + (double)step / Steps * (1.0 - d);

    /// <summary>
    /// D(q, d) of one document. Reciprocal rank: 1/rank if relevant, 1 − 1/rank if not (a document the first stage
    /// did not retrieve counts as rank ∞: 0 if relevant, 1 if not). Normalised score: (s − min)/(max − min) over the
    /// query's first-stage list if relevant, one minus that if not.
    /// </summary>
    public double Difficulty(Candidate candidate, bool relevant, double minScore, double maxScore)
    {
        double easiness = Heuristic switch
        {
            CurriculumHeuristic.ReciprocalRank => candidate.Rank > 0 ? 1.0 / candidate.Rank : 0.0,
            CurriculumHeuristic.NormalizedScore => candidate.Rank > 0 && maxScore > minScore
                ? Math.Clamp((candidate.Score - minScore) / (maxScore - minScore), 0, 1)
                : candidate.Rank > 0 ? 1.0 : 0.0,
            _ => throw new ArgumentOutOfRangeException(nameof(Heuristic)),
        };
        return relevant ? easiness : 1.0 - easiness;
    }

    public override string ToString() => $"Curriculum(heuristic={Heuristic},steps={Steps})";
}
