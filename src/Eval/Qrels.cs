namespace SearchRerank.Eval;

/// <summary>
/// Relevance judgments: for each query, the judged documents and their integer grades (graded relevance is kept).
/// Grade 0 means judged non-relevant; a negative grade means "in the pool but not judged", as in trec_eval
/// (form_res_rels.c), so such a document is neither relevant nor judged. Query ids keep their first-seen order.
/// </summary>
public sealed class Qrels
{
    private static readonly IReadOnlyDictionary<string, int> Empty = new Dictionary<string, int>();

    private readonly Dictionary<string, Dictionary<string, int>> byQuery = new(StringComparer.Ordinal);
    private readonly List<string> queryOrder = new();

    /// <summary>Builds qrels from (query, document, grade) triples; a repeated (query, document) pair is an error.</summary>
    public Qrels(IEnumerable<(string QueryId, string DocId, int Grade)> judgments)
    {
        foreach (var (queryId, docId, grade) in judgments)
        {
            if (!TryAdd(queryId, docId, grade))
                throw new ArgumentException($"duplicate judgment for query '{queryId}', document '{docId}'", nameof(judgments));
        }
    }

    /// <summary>Ids of every judged query, in first-seen order.</summary>
    public IReadOnlyCollection<string> QueryIds => queryOrder;

    /// <summary>The judged documents of <paramref name="qid"/> with their grades; empty when the query is not judged.</summary>
    public IReadOnlyDictionary<string, int> Judgments(string qid) =>
        byQuery.TryGetValue(qid, out var judgments) ? judgments : Empty;

    public bool Contains(string qid) => byQuery.ContainsKey(qid);

    /// <summary>Number of documents of <paramref name="qid"/> whose grade is at least <paramref name="threshold"/> (trec_eval's -l; must be ≥ 0).</summary>
    public int RelevantCount(string qid, int threshold = 1) => RelevantDocuments(qid, threshold).Count();

    /// <summary>The documents of <paramref name="qid"/> whose grade is at least <paramref name="threshold"/> (trec_eval's -l; must be ≥ 0), in judgment order.</summary>
    public IEnumerable<string> RelevantDocuments(string qid, int threshold = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        return Judgments(qid).Where(j => j.Value >= threshold).Select(j => j.Key);
    }

    internal bool TryAdd(string queryId, string docId, int grade)
    {
        if (!byQuery.TryGetValue(queryId, out var judgments))
        {
            judgments = new Dictionary<string, int>(StringComparer.Ordinal);
            byQuery.Add(queryId, judgments);
            queryOrder.Add(queryId);
        }
        return judgments.TryAdd(docId, grade);
    }
}
