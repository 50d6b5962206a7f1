using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Search.Index;

/// <summary>
/// Streams the documents of a corpus file, one line at a time, never holding the whole file:
/// <list type="bullet">
/// <item><c>.jsonl</c> / <c>.json</c>: BEIR corpus, one JSON object per line with string <c>_id</c>, optional
/// <c>title</c> and <c>text</c> (other fields ignored).</item>
/// <item><c>.tsv</c> / <c>.tab</c>: <c>id&lt;TAB&gt;text</c> or <c>id&lt;TAB&gt;title&lt;TAB&gt;text</c>; a first line whose id column
/// is <c>id</c>, <c>_id</c> or <c>docid</c> is taken as a header and skipped.</item>
/// </list>
/// Blank lines are skipped. Bytes are decoded as strict UTF-8. Any problem (unknown extension, unreadable file,
/// malformed JSON, missing id, bad UTF-8, wrong column count) throws <see cref="DataFormatException"/> with the
/// file and line, when the enumeration reaches it; a missing file or an unknown extension at once.
/// </summary>
public static class CorpusReader
{
    public static IEnumerable<CorpusDocument> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        // Checked now, not when enumeration starts, so that callers can fail before creating anything.
        if (!File.Exists(path))
            throw new DataFormatException(path, 0, "corpus file not found");
        return extension switch
        {
            ".jsonl" or ".json" => ReadJsonLines(path),
            ".tsv" or ".tab" => ReadTsv(path),
            _ => throw new DataFormatException(path, 0,
                $"unknown corpus format '{extension}': expected .jsonl (BEIR: _id, title, text) or .tsv (id, [title,] text)"),
        };
    }

    private static IEnumerable<CorpusDocument> ReadJsonLines(string path)
    {
        foreach (var (number, bytes) in Utf8LineReader.ReadLines(path))
        {
            if (IsBlank(bytes))
                continue;
            Utf8LineReader.RequireValid(path, number, bytes);
            yield return ParseJson(path, number, bytes);
        }
    }

    private static CorpusDocument ParseJson(string path, long number, byte[] bytes)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, number, $"malformed JSON: {JsonErrors.Reason(ex)}");
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, number, $"expected a JSON object, got {root.ValueKind}");
            var id = root.TryGetProperty("_id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString()!,
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new DataFormatException(path, number, $"field '_id' must be a string, got {idElement.ValueKind}"),
            } : throw new DataFormatException(path, number, "missing field '_id'");
            CheckId(path, number, id);
            return new CorpusDocument(id, OptionalString(path, number, root, "title"), OptionalString(path, number, root, "text"));
        }
    }

    private static string OptionalString(string path, long number, JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            return string.Empty;
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new DataFormatException(path, number, $"field '{field}' must be a string, got {element.ValueKind}");
    }

    private static IEnumerable<CorpusDocument> ReadTsv(string path)
    {
        var first = true;
        foreach (var (number, bytes) in Utf8LineReader.ReadLines(path))
        {
            if (IsBlank(bytes))
                continue;
            var columns = Utf8LineReader.Decode(path, number, bytes).Split('\t');
            if (first)
            {
                first = false;
                if (columns[0].Trim().ToLowerInvariant() is "id" or "_id" or "docid" or "doc_id")
                    continue;
            }
            var document = columns.Length switch
            {
                2 => new CorpusDocument(columns[0], string.Empty, columns[1]),
                3 => new CorpusDocument(columns[0], columns[1], columns[2]),
                _ => throw new DataFormatException(path, number, $"expected 2 (id, text) or 3 (id, title, text) tab-separated columns, got {columns.Length}"),
            };
            CheckId(path, number, document.Id);
            yield return document;
        }
    }

    private static void CheckId(string path, long number, string id)
    {
        if (id.Length == 0)
            throw new DataFormatException(path, number, "empty document id");
        if (id.Any(char.IsWhiteSpace))
            throw new DataFormatException(path, number, $"document id '{id}' contains whitespace, which TREC run files cannot hold");
    }

    private static bool IsBlank(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r');
}
