namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Judged@k (<c>judged_k</c>, as reported by Pyserini; not a trec_eval measure): the fraction of the top k that has a
/// judgment (any grade ≥ 0), divided by k like <see cref="Precision"/>. A low value warns that a system's scores
/// are underestimated because it surfaces documents the assessors never saw.
/// </summary>
public sealed class Judged : IMetric
{
    public Judged(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        Cutoff = cutoff;
    }

    public int Cutoff { get; }

    public string Name => $"judged_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        var depth = Math.Min(Cutoff, query.Grades.Count);
        var judged = 0;
        for (var i = 0; i < depth; i++)
        {
            if (query.Grades[i] >= 0)
                judged++;
        }
        return (double)judged / Cutoff;
    }

    public override string ToString() => Name;
}
