namespace SearchRerank.Eval.Metrics;

/// <summary>
/// A per-query effectiveness measure. Implementations are pure functions of a <see cref="QueryRelevance"/>,
/// follow trec_eval's definition of the measure they are named after, and return 0 where trec_eval leaves the
/// value at 0 (e.g. no relevant document). <see cref="Name"/> uses trec_eval's spelling with an underscore
/// before the cutoff (<c>ndcg_cut_10</c>, <c>P_5</c>).
/// </summary>
public interface IMetric
{
    string Name { get; }

    double Compute(QueryRelevance query);
}
