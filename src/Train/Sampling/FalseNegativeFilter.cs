namespace SearchRerank.Train.Sampling;

/// <summary>
/// Leaves out the negatives the first stage ranks above a query's best-ranked judged positive. Sparse judgments (SciFact
/// has about one relevant document per query) leave relevant documents unjudged, and the ones BM25 ranks above the
/// judged positive are the likeliest of them: training them as negatives teaches the model to push relevant documents
/// down (the denoising of RocketQA, Qu et al. NAACL 2021, with the first stage's rank in place of a cross-encoder's
/// score). A query whose positives the first stage did not retrieve keeps its negatives: every one of them ranks
/// above the positive, and dropping them all would drop the query.
/// </summary>
internal static class FalseNegativeFilter
{
    public static (IReadOnlyList<TrainingQuery> Queries, long Removed) SkipAbovePositive(IReadOnlyList<TrainingQuery> queries)
    {
        long removed = 0;
        var filtered = new TrainingQuery[queries.Count];
        for (int i = 0; i < queries.Count; i++)
        {
            var query = queries[i];
            int best = query.Positives.Where(p => p.Rank > 0).Select(p => p.Rank).DefaultIfEmpty(0).Min();
            if (best == 0)
            {
                filtered[i] = query;
                continue;
            }
            var kept = query.Negatives.Where(n => n.Rank > best).ToArray();
            removed += query.Negatives.Count - kept.Length;
            filtered[i] = query with { Negatives = kept };
        }
        return (filtered, removed);
    }
}
