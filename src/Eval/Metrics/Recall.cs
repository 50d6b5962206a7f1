namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Recall at k, trec_eval's <c>recall_k</c>: relevant documents in the top k divided by all relevant documents of the
/// query. 0 for a query without relevant documents.
/// </summary>
public sealed class Recall : IMetric
{
    public Recall(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        Cutoff = cutoff;
    }

    public int Cutoff { get; }

    public string Name => $"recall_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        if (query.RelevantCount == 0)
            return 0;
        var depth = Math.Min(Cutoff, query.Grades.Count);
        var relevant = 0;
        for (var i = 0; i < depth; i++)
        {
            if (query.IsRelevant(i))
                relevant++;
        }
        return (double)relevant / query.RelevantCount;
    }

    public override string ToString() => Name;
}
