using System.Globalization;

namespace SearchRerank.Search.Index;

/// <summary>
/// The bookkeeping SearchRerank keeps in each Lucene commit's user data (<c>Indexer.SetCommitData</c>), so that
/// it is exactly as durable as the documents it describes:
/// <list type="bullet">
/// <item><c>searchrerank.format</c>: <see cref="Format"/>; an index without it was not built by SearchRerank.</item>
/// <item><c>searchrerank.analyzer</c>, <c>searchrerank.bm25.k1</c>, <c>searchrerank.bm25.b</c>: <see cref="IndexMetadata"/>.</item>
/// <item><c>searchrerank.import.*</c>: the corpus file being imported (<see cref="ImportCheckpoint"/>), how many of its
/// documents the commit holds, and whether the import finished, so an interrupted import resumes.</item>
/// <item><c>searchrerank.committed</c>: when the commit was made (UTC, ISO 8601), so a replica can say how old the
/// revision it serves is.</item>
/// </list>
/// </summary>
internal static class CommitData
{
    public const string Format = "lucene-1";

    private const string FormatKey = "searchrerank.format";
    private const string AnalyzerKey = "searchrerank.analyzer";
    private const string K1Key = "searchrerank.bm25.k1";
    private const string BKey = "searchrerank.bm25.b";
    private const string SourceKey = "searchrerank.import.source";
    private const string StampKey = "searchrerank.import.stamp";
    private const string DocumentsKey = "searchrerank.import.documents";
    private const string CompleteKey = "searchrerank.import.complete";
    private const string CommittedKey = "searchrerank.committed";

    public static IDictionary<string, string> With(IDictionary<string, string>? existing, IndexMetadata metadata)
    {
        var data = new Dictionary<string, string>(existing ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [FormatKey] = Format,
            [AnalyzerKey] = metadata.Analyzer,
            [K1Key] = metadata.K1.ToString("R", CultureInfo.InvariantCulture),
            [BKey] = metadata.B.ToString("R", CultureInfo.InvariantCulture),
        };
        return data;
    }

    public static IDictionary<string, string> With(IDictionary<string, string> existing, ImportCheckpoint checkpoint)
    {
        var data = new Dictionary<string, string>(existing, StringComparer.Ordinal)
        {
            [SourceKey] = checkpoint.Source,
            [StampKey] = checkpoint.Stamp,
            [DocumentsKey] = checkpoint.Documents.ToString(CultureInfo.InvariantCulture),
            [CompleteKey] = checkpoint.Complete ? "true" : "false",
        };
        return data;
    }

    /// <summary>
    /// The data without an import record: a change that is not part of an import (a written or deleted document) makes
    /// the index differ from "the file's first N documents", so a later import of the file must not skip any.
    /// </summary>
    public static IDictionary<string, string> WithoutImport(IDictionary<string, string> existing)
    {
        var data = new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var key in new[] { SourceKey, StampKey, DocumentsKey, CompleteKey })
            data.Remove(key);
        return data;
    }

    public static IDictionary<string, string> WithCommitTime(IDictionary<string, string> existing, DateTimeOffset time) =>
        new Dictionary<string, string>(existing, StringComparer.Ordinal) { [CommittedKey] = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>When the commit was made, or null for a commit made before SearchRerank recorded it.</summary>
    public static DateTimeOffset? ReadCommitTime(IDictionary<string, string> data) =>
        data.TryGetValue(CommittedKey, out var value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>True when the commit data carries SearchRerank's format key.</summary>
    public static bool IsSearchRerank(IDictionary<string, string> data) => data.ContainsKey(FormatKey);

    /// <exception cref="SearchException">Another format or missing or malformed keys; the message names the folder.</exception>
    public static IndexMetadata ReadMetadata(IDictionary<string, string> data, string directory)
    {
        var format = data.TryGetValue(FormatKey, out var f) ? f : null;
        if (format != Format)
            throw new SearchException($"{directory}: index format '{format}' is not supported (expected '{Format}'); rebuild it with 'searchrerank index'");
        string Get(string key) => data.TryGetValue(key, out var value)
            ? value
            : throw new SearchException($"{directory}: the index's commit data lacks '{key}'; rebuild it with 'searchrerank index'");
        double Number(string key) => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SearchException($"{directory}: commit data '{key}' is not a number: '{Get(key)}'");
        return new IndexMetadata(Get(AnalyzerKey), Number(K1Key), Number(BKey));
    }

    /// <summary>The import recorded in the commit, or null when none was.</summary>
    public static ImportCheckpoint? ReadCheckpoint(IDictionary<string, string> data)
    {
        if (!data.TryGetValue(SourceKey, out var source) || !data.TryGetValue(StampKey, out var stamp)
            || !data.TryGetValue(DocumentsKey, out var documents)
            || !long.TryParse(documents, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return null;
        return new ImportCheckpoint(source, stamp, count, data.TryGetValue(CompleteKey, out var complete) && complete == "true");
    }
}
