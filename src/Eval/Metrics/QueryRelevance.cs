using SearchRerank.Core;
namespace SearchRerank.Eval.Metrics;

/// <summary>
/// One query's ranking seen through its judgments: the relevance value at each rank plus the counts that the
/// trec_eval measures need. This mirrors trec_eval's <c>RES_RELS</c> (form_res_rels.c): a retrieved document has its
/// judged grade, <see cref="NotInPool"/> when the qrels do not list it, or <see cref="Unjudged"/> when the qrels list it
/// with a negative grade. Built once per (run, query) and shared by all metrics.
/// </summary>
public sealed class QueryRelevance
{
    /// <summary>Relevance value of a retrieved document that the qrels do not mention.</summary>
    public const int NotInPool = -1;

    /// <summary>Relevance value of a retrieved document listed in the qrels with a negative grade.</summary>
    public const int Unjudged = -2;

    private QueryRelevance(int[] grades, int relevantCount, int[] idealGains, int threshold)
    {
        Grades = grades;
        RelevantCount = relevantCount;
        IdealGains = idealGains;
        Threshold = threshold;
    }

    /// <summary>Relevance value per rank (index 0 = rank 1), in <see cref="Run.Ranked"/> order.</summary>
    public IReadOnlyList<int> Grades { get; }

    /// <summary>Number of judged documents with grade ≥ <see cref="Threshold"/>, retrieved or not (trec_eval's num_rel).</summary>
    public int RelevantCount { get; }

    /// <summary>Positive grades of all judged documents, largest first: the ideal ranking for nDCG.</summary>
    public IReadOnlyList<int> IdealGains { get; }

    /// <summary>Minimum grade that counts as relevant for binary measures (trec_eval's -l).</summary>
    public int Threshold { get; }

    /// <summary>True when the value at <paramref name="rank0"/> (0-based) counts as relevant for binary measures.</summary>
    public bool IsRelevant(int rank0) => Grades[rank0] >= Threshold;

    public static QueryRelevance Create(IReadOnlyList<RunEntry> ranked, IReadOnlyDictionary<string, int> judgments, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        var grades = new int[ranked.Count];
        for (var i = 0; i < grades.Length; i++)
        {
            grades[i] = judgments.TryGetValue(ranked[i].DocId, out var grade)
                ? (grade >= 0 ? grade : Unjudged)
                : NotInPool;
        }
        var relevant = 0;
        var ideal = new List<int>();
        foreach (var grade in judgments.Values)
        {
            if (grade >= threshold)
                relevant++;
            if (grade > 0)
                ideal.Add(grade);
        }
        ideal.Sort((a, b) => b.CompareTo(a));
        return new QueryRelevance(grades, relevant, ideal.ToArray(), threshold);
    }
}
