using SearchRerank.Core;
using SearchRerank.Eval;

namespace SearchRerank.Server;

/// <summary>
/// The judged queries the search page offers (from <c>--queries</c> and <c>--qrels</c>), and the grade of each hit for
/// a chosen query, so a person sees which results are relevant.
/// </summary>
public sealed class Judgments
{
    private readonly Qrels qrels;

    private Judgments(IReadOnlyList<Topic> queries, Qrels qrels)
    {
        Queries = queries;
        this.qrels = qrels;
    }

    /// <summary>The queries that have judgments, in file order.</summary>
    public IReadOnlyList<Topic> Queries { get; }

    public static Judgments Read(string queriesPath, string qrelsPath)
    {
        var qrels = QrelsReader.Read(qrelsPath);
        return new Judgments(QueriesReader.Read(queriesPath).Where(q => qrels.Contains(q.Id)).ToList(), qrels);
    }

    /// <summary>The grade of <paramref name="docId"/> for query <paramref name="queryId"/>; null when it was not judged.</summary>
    public int? Grade(string queryId, string docId) => qrels.Judgments(queryId).TryGetValue(docId, out var grade) ? grade : null;
}
