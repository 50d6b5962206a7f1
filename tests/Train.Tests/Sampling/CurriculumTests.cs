using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Tests.Sampling;

public sealed class CurriculumTests
{
    [Fact]
    public void WeightAnnealsLinearlyFromDifficultyToOne()
    {
        var curriculum = new Curriculum(CurriculumHeuristic.ReciprocalRank, steps: 10);
        Assert.Equal(0.2, curriculum.Weight(0.2, 0), 12);
        Assert.Equal(0.6, curriculum.Weight(0.2, 5), 12);
        Assert.Equal(1.0, curriculum.Weight(0.2, 10), 12);
        Assert.Equal(1.0, curriculum.Weight(0.0, 1000), 12);
    }

    [Fact]
    public void ReciprocalRankMakesHighRelevantAndLowNonRelevantEasy()
    {
        var curriculum = new Curriculum(CurriculumHeuristic.ReciprocalRank, 10);
        Assert.Equal(1.0, curriculum.Difficulty(new Candidate("d", 1, 9), relevant: true, 0, 10));
        Assert.Equal(0.25, curriculum.Difficulty(new Candidate("d", 4, 9), relevant: true, 0, 10));
        Assert.Equal(0.0, curriculum.Difficulty(new Candidate("d", 0, 0), relevant: true, 0, 10));
        Assert.Equal(0.0, curriculum.Difficulty(new Candidate("d", 1, 9), relevant: false, 0, 10));
        Assert.Equal(0.75, curriculum.Difficulty(new Candidate("d", 4, 9), relevant: false, 0, 10));
    }

    [Fact]
    public void NormalizedScoreUsesTheQueryScoreRange()
    {
        var curriculum = new Curriculum(CurriculumHeuristic.NormalizedScore, 10);
        Assert.Equal(0.75, curriculum.Difficulty(new Candidate("d", 2, 8), relevant: true, 2, 10), 12);
        Assert.Equal(0.25, curriculum.Difficulty(new Candidate("d", 2, 8), relevant: false, 2, 10), 12);
        Assert.Equal(1.0, curriculum.Difficulty(new Candidate("d", 1, 5), relevant: true, 5, 5));
    }

    [Fact]
    public void SamplerGroupDifficultyIsTheMeanOverItsDocuments()
    {
        var query = new TrainingQuery("q", "t", [new Candidate("p", 2, 5)], [new Candidate("n", 1, 6)], 5, 6);
        var group = new ContrastiveSampler([query], 2, 1, new Curriculum(CurriculumHeuristic.ReciprocalRank, 5)).Sample(0);
        // positive at rank 2: 1/2; negative at rank 1: 1 − 1 = 0.
        Assert.Equal(0.25, group.Difficulty, 12);
    }
}
