using System.Text.Json;
namespace SearchRerank.Core.Json;

/// <summary>
/// Strict, path-naming access to one JSON object of a <see cref="JsonSource"/>: every property must be known, every value of the
/// expected kind, and each error names the file, the line and the field (e.g. <c>recipe.json:12: stages[1].lr: …</c>).
/// </summary>
public sealed class JsonFields
{
    private readonly JsonSource file;
    private readonly string path;
    private readonly Dictionary<string, JsonElement> values = new(StringComparer.Ordinal);

    internal JsonFields(JsonSource file, string path, JsonElement element, params string[] allowed)
    {
        this.file = file;
        this.path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(path, $"expected an object, got {Describe(element)}");
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                throw Error(Field(property.Name), $"unknown field; allowed: {string.Join(", ", allowed)}");
            if (!values.TryAdd(property.Name, property.Value))
                throw Error(Field(property.Name), "given twice");
        }
    }

    public string Field(string name) => this.path.Length == 0 ? name : $"{this.path}.{name}";

    public bool Has(string name) => values.ContainsKey(name) && values[name].ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) => Has(name) ? values[name] : null;

    public DataFormatException Error(string field, string message) => this.file.Error(field, message);

    public string? String(string name)
    {
        if (!Has(name))
            return null;
        var value = values[name];
        if (value.ValueKind != JsonValueKind.String)
            throw Error(Field(name), $"expected a string, got {Describe(value)}");
        string text = value.GetString()!;
        if (text.Length == 0)
            throw Error(Field(name), "must not be empty");
        return text;
    }

    public string RequiredString(string name) => String(name) ?? throw Error(Field(name), "required field is missing");

    public bool? Bool(string name)
    {
        if (!Has(name))
            return null;
        var value = values[name];
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Field(name), $"expected true or false, got {Describe(value)}"),
        };
    }

    public double? Number(string name, double min, double max)
    {
        if (!Has(name))
            return null;
        var value = values[name];
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
            throw Error(Field(name), $"expected a number, got {Describe(value)}");
        if (number < min || number > max)
            throw Error(Field(name), $"{number:g} is out of range [{min:g}, {max:g}]");
        return number;
    }

    public long? Integer(string name, long min, long max)
    {
        if (!Has(name))
            return null;
        var value = values[name];
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
            throw Error(Field(name), $"expected an integer, got {Describe(value)}");
        if (number < min || number > max)
            throw Error(Field(name), $"{number} is out of range [{min}, {max}]");
        return number;
    }

    public int? Int(string name, int min, int max = int.MaxValue) => (int?)Integer(name, min, max);

    /// <summary>A path field resolved against the file's folder; the file or folder must exist.</summary>
    public string? ExistingPath(string name)
    {
        string? text = String(name);
        if (text is null)
            return null;
        string full = System.IO.Path.GetFullPath(text, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(this.file.Path))!);
        if (!File.Exists(full) && !Directory.Exists(full))
            throw Error(Field(name), $"'{text}' does not exist (resolved to {full})");
        return full;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"string \"{value.GetString()}\"",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };
}
