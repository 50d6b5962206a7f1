using System.Text.Json;

namespace SearchRerank.Core.Json;

/// <summary>
/// A JSON file being read strictly (recipes, regression files): its parsed root and where each field sits in it, so
/// every error names file, line and field (<c>recipe.json:12: stages[1].lr: …</c>). Comments and trailing commas are
/// allowed, as in the repository's hand-written JSON.
/// </summary>
public sealed class JsonSource : IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly JsonDocument document;
    private readonly JsonLineIndex lines;

    private JsonSource(string path, JsonDocument document, JsonLineIndex lines)
    {
        Path = path;
        this.document = document;
        this.lines = lines;
    }

    public string Path { get; }

    public JsonElement Root => document.RootElement;

    /// <summary>Reads and parses <paramref name="path"/> (<paramref name="kind"/> names it in a missing-file error).</summary>
    /// <exception cref="DataFormatException">The file is missing or is not valid JSON.</exception>
    public static JsonSource Read(string path, string kind)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, 0, $"{kind} file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="path"/> names it in errors.</summary>
    public static JsonSource Parse(string text, string path)
    {
        try
        {
            return new JsonSource(path, JsonDocument.Parse(text, DocumentOptions), new JsonLineIndex(text, ReaderOptions));
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, JsonErrors.Line(ex), $"invalid JSON: {JsonErrors.Reason(ex)}");
        }
    }

    /// <summary>The strict fields of the object at <paramref name="field"/> (<c>""</c> for the root).</summary>
    public JsonFields Object(string field, JsonElement element, params string[] allowed) => new(this, field, element, allowed);

    public long LineOf(string field) => lines.LineOf(field);

    public DataFormatException Error(string field, string message) => new(Path, LineOf(field), $"{field}: {message}");

    public void Dispose() => document.Dispose();
}
