using System.Text.Json;

namespace SearchRerank.Core;

/// <summary>
/// Reads queries from BEIR <c>queries.jsonl</c> (objects with <c>_id</c> and <c>text</c>) or from a TSV file
/// with lines <c>qid&lt;TAB&gt;text</c>. The format is chosen from the first non-blank line (a line starting
/// with <c>{</c> means JSON lines) and every later line must follow it. Queries are streamed, in file order. Bytes are
/// decoded as strict UTF-8: an invalid byte is a <see cref="DataFormatException"/> naming the line.
/// </summary>
public static class QueriesReader
{
    public static IEnumerable<Topic> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: queries file not found", path);
        return ReadLines(path);
    }

    private static IEnumerable<Topic> ReadLines(string path)
    {
        bool? json = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNumber, bytes) in Utf8LineReader.ReadLines(path))
        {
            // Invalid UTF-8 is refused, as in a corpus file: replacement characters would change what is searched.
            var line = Utf8LineReader.Decode(path, lineNumber, bytes);
            if (string.IsNullOrWhiteSpace(line))
                continue;
            json ??= line.TrimStart().StartsWith('{');
            var query = json.Value ? ParseJson(path, lineNumber, line) : ParseTsv(path, lineNumber, line);
            if (!seen.Add(query.Id))
                throw new DataFormatException(path, lineNumber, $"duplicate query id '{query.Id}'");
            yield return query;
        }
    }

    private static Topic ParseJson(string path, long lineNumber, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, lineNumber, $"invalid JSON: {JsonErrors.Reason(ex)}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, lineNumber, "expected a JSON object with fields _id and text");
            var id = RequiredString(path, lineNumber, root, "_id");
            var text = RequiredString(path, lineNumber, root, "text");
            return new Topic(id, text);
        }
    }

    private static string RequiredString(string path, long lineNumber, JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value))
            throw new DataFormatException(path, lineNumber, $"missing field '{field}'");
        // BEIR ids are strings, but some exports write numeric ids; both identify the same query.
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number when field == "_id" => value.GetRawText(),
            _ => throw new DataFormatException(path, lineNumber, $"field '{field}' must be a string, got {value.ValueKind}"),
        };
        if (field == "_id" && text.Length == 0)
            throw new DataFormatException(path, lineNumber, "field '_id' is empty");
        return text;
    }

    private static Topic ParseTsv(string path, long lineNumber, string line)
    {
        var tab = line.IndexOf('\t');
        if (tab <= 0)
            throw new DataFormatException(path, lineNumber, "expected 'qid<TAB>text'");
        return new Topic(line[..tab].Trim(), line[(tab + 1)..]);
    }
}
