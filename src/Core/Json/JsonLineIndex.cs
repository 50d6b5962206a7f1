using System.Text;
using System.Text.Json;

namespace SearchRerank.Core.Json;

/// <summary>
/// The 1-based line of every property and array item of a JSON text, by the path errors use
/// (<c>stages[1].data.qrels</c>), so an error names the line as well as the field. JsonDocument keeps no positions;
/// one pass of <see cref="Utf8JsonReader"/> over the same bytes recovers them.
/// </summary>
public sealed class JsonLineIndex
{
    private readonly Dictionary<string, long> lines = new(StringComparer.Ordinal);

    public JsonLineIndex(string text, JsonReaderOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, options);
        var containers = new Stack<(string Path, bool IsArray, int NextItem)>();
        string? property = null;
        long line = 1, counted = 0;
        long LineAt(long offset)
        {
            for (; counted < offset; counted++)
                if (bytes[counted] == (byte)'\n')
                    line++;
            return line;
        }
        string ValuePath(long start)
        {
            if (containers.Count == 0)
                return "";
            var top = containers.Pop();
            if (!top.IsArray)
            {
                containers.Push(top);
                return property!;
            }
            var item = $"{top.Path}[{top.NextItem}]";
            containers.Push(top with { NextItem = top.NextItem + 1 });
            lines.TryAdd(item, LineAt(start));
            return item;
        }
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = containers.Peek().Path;
                    property = parent.Length == 0 ? reader.GetString()! : $"{parent}.{reader.GetString()}";
                    lines.TryAdd(property, LineAt(reader.TokenStartIndex));
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    containers.Push((ValuePath(reader.TokenStartIndex), reader.TokenType == JsonTokenType.StartArray, 0));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                default:
                    ValuePath(reader.TokenStartIndex);
                    break;
            }
        }
    }

    /// <summary>
    /// The line of <paramref name="path"/>, or of its nearest enclosing field when it is absent (a missing required
    /// field points at the object that lacks it); 0 when nothing encloses it.
    /// </summary>
    public long LineOf(string path)
    {
        while (path.Length > 0)
        {
            if (lines.TryGetValue(path, out var line))
                return line;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut > 0 ? path[..cut] : "";
        }
        return 0;
    }
}
