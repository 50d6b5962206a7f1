namespace SearchRerank.Train.Recipes;

/// <summary>A stage's curriculum: sample weights start at the heuristic's D and anneal linearly to 1 over <paramref name="Steps"/> optimizer steps.</summary>
public sealed record CurriculumSpec(CurriculumHeuristic Heuristic, int Steps)
{
    public override string ToString() => $"Curriculum(heuristic={Heuristic},steps={Steps})";
}
