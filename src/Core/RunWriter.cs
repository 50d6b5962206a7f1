using System.Globalization;

namespace SearchRerank.Core;

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
        RequireToken(tag, "run tag");
        AtomicFile.Write(path, writer =>
        {
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
        });
    }

    private static void RequireToken(string value, string what)
    {
        // A space inside a field would shift the columns and silently corrupt the file.
        if (string.IsNullOrEmpty(value) || value.Any(char.IsWhiteSpace))
            throw new ArgumentException($"{what} '{value}' must be non-empty without whitespace to be written to a TREC run");
    }
}
