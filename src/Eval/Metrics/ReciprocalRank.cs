namespace SearchRerank.Eval.Metrics;

/// <summary>
/// Reciprocal rank of the first relevant document, trec_eval's <c>recip_rank</c>; with a cutoff k (RR@k, named
/// <c>recip_rank_k</c>) only the top k count, which equals <c>trec_eval -M k -m recip_rank</c>. 0 when none is found.
/// </summary>
public sealed class ReciprocalRank : IMetric
{
    /// <param name="cutoff">Depth to look at, or null for the whole ranking.</param>
    public ReciprocalRank(int? cutoff = null)
    {
        if (cutoff is not null)
            ArgumentOutOfRangeException.ThrowIfLessThan(cutoff.Value, 1, nameof(cutoff));
        Cutoff = cutoff;
    }

    public int? Cutoff { get; }

    public string Name => Cutoff is null ? "recip_rank" : $"recip_rank_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        var depth = Math.Min(Cutoff ?? int.MaxValue, query.Grades.Count);
        for (var i = 0; i < depth; i++)
        {
            if (query.IsRelevant(i))
                return 1.0 / (i + 1);
        }
        return 0;
    }

    public override string ToString() => Name;
}
