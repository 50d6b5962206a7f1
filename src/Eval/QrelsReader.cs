using System.Globalization;
using SearchRerank.Core;

namespace SearchRerank.Eval;

/// <summary>
/// Reads qrels in either of the two common layouts:
/// BEIR TSV (<c>query-id corpus-id score</c>, optional header line, tab-separated) or
/// TREC (<c>qid iteration docid grade</c>, whitespace-separated; the iteration column is ignored, as trec_eval does).
/// The layout is chosen from the first data line (3 or 4 columns) and every line must follow it.
/// </summary>
public static class QrelsReader
{
    public static Qrels Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: qrels file not found", path);

        var qrels = new Qrels([]);
        int? columns = null;
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (columns is null && IsBeirHeader(fields))
            {
                columns = 3;
                continue;
            }
            columns ??= fields.Length;
            if (columns is not (3 or 4))
                throw new DataFormatException(path, lineNumber,
                    $"expected 3 columns (query-id corpus-id score) or 4 columns (qid iter docid grade), got {fields.Length}");
            if (fields.Length != columns)
                throw new DataFormatException(path, lineNumber, $"expected {columns} columns, got {fields.Length}");

            var queryId = fields[0];
            var docId = fields[columns.Value - 2];
            var gradeText = fields[columns.Value - 1];
            if (!int.TryParse(gradeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var grade))
                throw new DataFormatException(path, lineNumber, $"relevance grade must be an integer, got '{gradeText}'");
            if (!qrels.TryAdd(queryId, docId, grade))
                throw new DataFormatException(path, lineNumber, $"duplicate judgment for query '{queryId}', document '{docId}'");
        }
        if (qrels.QueryIds.Count == 0)
            throw new DataFormatException(path, 0, "no judgments found");
        return qrels;
    }

    private static bool IsBeirHeader(string[] fields) =>
        fields.Length == 3 && fields[0] == "query-id" && fields[1] == "corpus-id" && fields[2] == "score";
}
