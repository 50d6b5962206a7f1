using System.Globalization;

namespace SearchRerank.Core;

/// <summary>
/// Reads a TREC run file: whitespace-separated lines <c>qid Q0 docid rank score tag</c>.
/// The Q0 and rank columns are not used (ranking comes from the score, see <see cref="Run.Ranked"/>).
/// As in trec_eval, blank lines and lines starting with <c>#</c> are skipped, fields after the tag are ignored,
/// and a document listed twice for one query or a score that is not a finite number is an error. The run is named after the file.
/// </summary>
public static class RunReader
{
    public static Run Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: run file not found", path);

        var run = new Run(Path.GetFileName(path));
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
                continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6)
                throw new DataFormatException(path, lineNumber, $"expected 6 columns (qid Q0 docid rank score tag), got {fields.Length}");
            var (queryId, docId, scoreText) = (fields[0], fields[2], fields[4]);
            // .NET parses "Infinity", "-Infinity" and "NaN" (any case) and overflows "1e999" to infinity: all refused.
            if (!double.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                throw new DataFormatException(path, lineNumber, $"score must be a finite number, got '{TextPreview.Shorten(scoreText, 40)}'");
            try
            {
                run.Add(queryId, docId, score);
            }
            catch (ArgumentException)
            {
                // Run.Add rejects only repeats here: the fields are non-empty and the score is a number.
                throw new DataFormatException(path, lineNumber, $"duplicate document '{docId}' for query '{queryId}'");
            }
        }
        if (run.QueryIds.Count == 0)
            throw new DataFormatException(path, 0, "run is empty");
        return run;
    }
}
