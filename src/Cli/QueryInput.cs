using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search;

namespace SearchRerank.Cli;

/// <summary>
/// The queries a command works on, read the same way by every command: the queries file, optionally only the queries
/// judged in a qrels file, and a warning naming each query that cannot find anything, so that none leaves a run
/// without a word.
/// </summary>
internal static class QueryInput
{
    private const int NamedQueries = 5;

    /// <summary>The queries of <paramref name="queriesPath"/> (judged in <paramref name="qrelsPath"/> when given), warning about empty ones.</summary>
    public static List<Topic> Read(string queriesPath, string? qrelsPath = null)
    {
        IEnumerable<Topic> selected = QueriesReader.Read(queriesPath);
        if (qrelsPath is not null)
        {
            var judged = QrelsReader.Read(qrelsPath);
            selected = selected.Where(q => judged.Contains(q.Id));
        }
        var queries = selected.ToList();
        var empty = queries.Where(q => string.IsNullOrWhiteSpace(q.Text)).ToList();
        if (empty.Count > 0)
            CliOutput.Warning($"{queriesPath}: {Count(empty.Count, "query has", "queries have")} empty text and can find nothing: {Names(empty)}");
        return queries;
    }

    /// <summary>Warns about the queries that got no results and so are absent from <paramref name="run"/>, saying why for each.</summary>
    public static void WarnMissing(Searcher searcher, IReadOnlyList<Topic> queries, Run run)
    {
        var present = run.QueryIds.ToHashSet(StringComparer.Ordinal);
        var missing = queries.Where(q => !present.Contains(q.Id)).ToList();
        if (missing.Count == 0)
            return;
        var reasons = missing.Take(NamedQueries).Select(q => $"'{q.Id}' ({(searcher.ParseQuery(q.Text) is null ? "no searchable terms" : "no document matches")})");
        CliOutput.Warning($"{Count(missing.Count, "query", "queries")} of {queries.Count:N0} got no results and {(missing.Count == 1 ? "is" : "are")} not in the run: "
                          + string.Join(", ", reasons) + (missing.Count > NamedQueries ? ", …" : ""));
    }

    private static string Names(IReadOnlyList<Topic> queries) =>
        string.Join(", ", queries.Take(NamedQueries).Select(q => $"'{q.Id}'")) + (queries.Count > NamedQueries ? ", …" : "");

    private static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count:N0} {many}";
}
