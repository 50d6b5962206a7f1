using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Core.Json;

namespace SearchRerank.Eval.Regressions;

/// <summary>
/// One collection's reproducible configurations and the figures they must give (in the manner of Anserini's
/// regression files): the collection's corpus, queries and judged split, and one <see cref="RegressionEntry"/> per
/// configuration. Paths are relative to the file. <c>searchrerank regress</c> runs entries and compares.
/// </summary>
internal sealed record RegressionFile(string Path, string Collection, string Corpus, string Queries, string Qrels, IReadOnlyList<RegressionEntry> Entries)
{
    /// <summary>Reads and checks a regression file; every error names the file, line and field.</summary>
    /// <exception cref="DataFormatException">Missing file, bad JSON, unknown or missing field, a path that does not exist.</exception>
    public static RegressionFile Read(string path)
    {
        using var source = JsonSource.Read(path, "regression");
        var fields = source.Object("", source.Root, "collection", "corpus", "queries", "qrels", "entries");
        var entries = new List<RegressionEntry>();
        var array = fields.Element("entries") ?? throw fields.Error("entries", "required field is missing");
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            throw fields.Error("entries", "expected a non-empty array of entries");
        foreach (var element in array.EnumerateArray())
        {
            var at = $"entries[{entries.Count}]";
            var entry = RegressionEntry.Parse(source, at, element);
            if (entries.Any(e => e.Name == entry.Name))
                throw source.Error($"{at}.name", $"'{entry.Name}' is used twice");
            entries.Add(entry);
        }
        return new RegressionFile(path, fields.RequiredString("collection"),
            fields.ExistingPath("corpus") ?? throw fields.Error("corpus", "required field is missing"),
            fields.ExistingPath("queries") ?? throw fields.Error("queries", "required field is missing"),
            fields.ExistingPath("qrels") ?? throw fields.Error("qrels", "required field is missing"),
            entries);
    }
}
