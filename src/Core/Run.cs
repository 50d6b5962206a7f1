namespace SearchRerank.Core;

/// <summary>
/// A ranked result list per query, as produced by a system or read from a TREC run file.
/// The rank column of a run file is ignored: <see cref="Ranked"/> orders by score descending and breaks ties
/// by document id descending (byte-wise, like trec_eval's <c>strcmp</c> comparator), so evaluation does not depend
/// on how the producer numbered its lines. Scores are compared at single precision because trec_eval stores them
/// as <c>float</c> (trec_format.h): two scores that differ only beyond float precision are a tie there too.
/// Adding the same (query, document) twice is an error, as in trec_eval.
/// Safe for concurrent readers and writers.
/// </summary>
public sealed class Run
{
    private readonly object gate = new();
    private readonly Dictionary<string, QueryResults> byQuery = new(StringComparer.Ordinal);
    private readonly List<string> queryOrder = new();

    public Run(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Label of the run (a file name or system name), used in reports.</summary>
    public string Name { get; }

    /// <summary>Ids of the queries that have at least one result, in first-added order.</summary>
    public IReadOnlyCollection<string> QueryIds
    {
        get
        {
            lock (gate)
                return queryOrder.ToArray();
        }
    }

    /// <summary>A copy of this run under another <see cref="Name"/> (reports label runs by name).</summary>
    public Run Renamed(string name)
    {
        var renamed = new Run(name);
        foreach (var queryId in QueryIds)
            foreach (var entry in Ranked(queryId))
                renamed.Add(queryId, entry.DocId, entry.Score);
        return renamed;
    }

    /// <summary>Adds one result; throws <see cref="ArgumentException"/> when <paramref name="docId"/> is already in the list of <paramref name="qid"/>.</summary>
    public void Add(string qid, string docId, double score)
    {
        ArgumentException.ThrowIfNullOrEmpty(qid);
        ArgumentException.ThrowIfNullOrEmpty(docId);
        // An infinite score has no place in a ranking that is fused or averaged: it would swamp every other score.
        if (!double.IsFinite(score))
            throw new ArgumentException($"score of query '{qid}', document '{docId}' is not a finite number: {score}", nameof(score));
        lock (gate)
        {
            if (!byQuery.TryGetValue(qid, out var results))
            {
                results = new QueryResults();
                byQuery.Add(qid, results);
                queryOrder.Add(qid);
            }
            if (!results.DocIds.Add(docId))
                throw new ArgumentException($"duplicate document '{docId}' for query '{qid}'", nameof(docId));
            results.Entries.Add(new RunEntry(docId, score));
            results.Ranked = null;
        }
    }

    /// <summary>The results of <paramref name="qid"/> in trec_eval order (score descending, ties by document id descending); empty when absent.</summary>
    public IReadOnlyList<RunEntry> Ranked(string qid)
    {
        lock (gate)
        {
            if (!byQuery.TryGetValue(qid, out var results))
                return [];
            if (results.Ranked is null)
            {
                var sorted = results.Entries.ToArray();
                Array.Sort(sorted, TrecOrder);
                results.Ranked = sorted;
            }
            return results.Ranked;
        }
    }

    /// <summary>trec_eval's comparator (form_res_rels.c): higher (float) score first, then the larger document id first.</summary>
    internal static int TrecOrder(RunEntry x, RunEntry y)
    {
        var byScore = ((float)y.Score).CompareTo((float)x.Score);
        return byScore != 0 ? byScore : CompareUtf8(y.DocId, x.DocId);
    }

    /// <summary>Byte-wise UTF-8 order (what strcmp sees); UTF-16 ordinal order differs only for surrogate pairs.</summary>
    private static int CompareUtf8(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            char ca = a[i], cb = b[i];
            if (ca == cb)
                continue;
            // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
            if (char.IsSurrogate(ca) != char.IsSurrogate(cb) && (ca >= '\uE000' || cb >= '\uE000'))
                return char.IsSurrogate(ca) ? 1 : -1;
            return ca.CompareTo(cb);
        }
        return a.Length.CompareTo(b.Length);
    }

    private sealed class QueryResults
    {
        public readonly List<RunEntry> Entries = new();
        public readonly HashSet<string> DocIds = new(StringComparer.Ordinal);
        public RunEntry[]? Ranked;
    }
}
