using System.Globalization;
using System.Text;

namespace SearchRerank.Evaluation;

/// <summary>
/// Writes a run in TREC format, <c>qid Q0 docid rank score tag</c>, queries in the run's order and documents in
/// <see cref="Run.Ranked"/> order with ranks 1, 2, …, so trec_eval and this library rank the file identically.
/// Scores are written round-trippable. The file appears atomically (temporary file, then rename).
/// </summary>
public static class RunWriter
{
    public static void Write(Run run, string path, string tag)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (string.IsNullOrEmpty(tag) || tag.Any(char.IsWhiteSpace))
            throw new ArgumentException($"run tag must be non-empty and contain no whitespace, got '{tag}'", nameof(tag));

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                writer.NewLine = "\n";
                foreach (var queryId in run.QueryIds)
                {
                    RequireToken(queryId, "query id");
                    var rank = 0;
                    foreach (var entry in run.Ranked(queryId))
                    {
                        RequireToken(entry.DocId, "document id");
                        rank++;
                        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{queryId} Q0 {entry.DocId} {rank} {entry.Score:R} {tag}"));
                    }
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static void RequireToken(string value, string what)
    {
        // A space inside an id would shift the columns and silently corrupt the file.
        if (value.Any(char.IsWhiteSpace))
            throw new ArgumentException($"{what} '{value}' contains whitespace and cannot be written to a TREC run");
    }
}
