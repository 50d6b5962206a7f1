namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Average precision, trec_eval's <c>map</c> (whole ranking) or <c>map_cut_k</c> (top k): the precision at the rank of
/// each relevant retrieved document, summed and divided by the number of relevant documents of the query (retrieved
/// or not). Ranks past the end of a short list count as non-relevant. 0 for a query without relevant documents.
/// </summary>
public sealed class AveragePrecision : IMetric
{
    /// <param name="cutoff">Depth to look at, or null for the whole ranking.</param>
    public AveragePrecision(int? cutoff = null)
    {
        if (cutoff is not null)
            ArgumentOutOfRangeException.ThrowIfLessThan(cutoff.Value, 1, nameof(cutoff));
        Cutoff = cutoff;
    }

    public int? Cutoff { get; }

    public string Name => Cutoff is null ? "map" : $"map_cut_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        if (query.RelevantCount == 0)
            return 0;
        var depth = Math.Min(Cutoff ?? int.MaxValue, query.Grades.Count);
        var found = 0;
        var sum = 0.0;
        for (var i = 0; i < depth; i++)
        {
            if (query.IsRelevant(i))
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }
        return sum / query.RelevantCount;
    }

    public override string ToString() => Name;
}
