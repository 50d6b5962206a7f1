namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Precision at k, trec_eval's <c>P_k</c>: relevant documents in the top k divided by k, even when fewer than k
/// documents were retrieved (the missing ones count as non-relevant).
/// </summary>
public sealed class Precision : IMetric
{
    public Precision(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        Cutoff = cutoff;
    }

    public int Cutoff { get; }

    public string Name => $"P_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        var depth = Math.Min(Cutoff, query.Grades.Count);
        var relevant = 0;
        for (var i = 0; i < depth; i++)
        {
            if (query.IsRelevant(i))
                relevant++;
        }
        return (double)relevant / Cutoff;
    }

    public override string ToString() => Name;
}
