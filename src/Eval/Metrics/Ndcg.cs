namespace SearchRerank.Eval.Metrics;

/// <summary>
/// nDCG at a cutoff, trec_eval's <c>ndcg_cut</c> (Järvelin &amp; Kekäläinen, ACM TOIS 20(4), 2002):
/// gain = the qrels grade (not 2^grade − 1), discount = log2(rank + 1), the ideal ranking sorts the positive grades
/// of every judged document (retrieved or not). Grades are used as gains whatever the binary threshold is.
/// A query without a positive grade scores 0.
/// </summary>
public sealed class Ndcg : IMetric
{
    public Ndcg(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        Cutoff = cutoff;
    }

    public int Cutoff { get; }

    public string Name => $"ndcg_cut_{Cutoff}";

    public double Compute(QueryRelevance query)
    {
        var ideal = Dcg(query.IdealGains);
        return ideal > 0 ? Dcg(query.Grades) / ideal : 0;
    }

    private double Dcg(IReadOnlyList<int> gains)
    {
        var sum = 0.0;
        var depth = Math.Min(Cutoff, gains.Count);
        for (var i = 0; i < depth; i++)
        {
            if (gains[i] > 0)
                sum += gains[i] / Math.Log2(i + 2);
        }
        return sum;
    }

    public override string ToString() => Name;
}
