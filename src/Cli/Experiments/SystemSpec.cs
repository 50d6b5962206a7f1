using System.Globalization;

namespace SearchRerank.Cli.Experiments;

/// <summary>
/// A system named on the command line as <c>NAME=KIND[:key=value,key=value…]</c>, e.g.
/// <c>bm25-tuned=bm25:k1=1.2,b=0.75</c>. Keys are case-insensitive; every key must be consumed by the system
/// that is built from the spec, so a typo is an error instead of a silently ignored setting.
/// </summary>
internal sealed class SystemSpec
{
    private readonly Dictionary<string, string> parameters;
    private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

    private SystemSpec(string text, string name, string kind, Dictionary<string, string> parameters)
    {
        Text = text;
        Name = name;
        Kind = kind;
        this.parameters = parameters;
    }

    /// <summary>The spec as written, for error messages.</summary>
    public string Text { get; }

    public string Name { get; }

    public string Kind { get; }

    public static SystemSpec Parse(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
            throw new ArgumentException($"--system '{text}': expected NAME=KIND[:key=value,…], e.g. bm25=bm25:k1=0.9,b=0.4");
        var name = text[..equals].Trim();
        var rest = text[(equals + 1)..];
        var colon = rest.IndexOf(':');
        var kind = (colon < 0 ? rest : rest[..colon]).Trim().ToLowerInvariant();
        if (kind.Length == 0)
            throw new ArgumentException($"--system '{text}': missing system kind after '='");
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var pair in rest[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var split = pair.IndexOf('=');
                if (split <= 0)
                    throw new ArgumentException($"--system '{text}': parameter '{pair}' is not key=value");
                if (!parameters.TryAdd(pair[..split].Trim(), pair[(split + 1)..].Trim()))
                    throw new ArgumentException($"--system '{text}': parameter '{pair[..split]}' given twice");
            }
        }
        return new SystemSpec(text, name, kind, parameters);
    }

    public string? String(string key)
    {
        used.Add(key);
        return parameters.TryGetValue(key, out var value) ? value : null;
    }

    public double? Double(string key)
    {
        var value = String(key);
        if (value is null)
            return null;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"--system '{Text}': {key} must be a number, got '{value}'");
    }

    public int? Int(string key)
    {
        var value = String(key);
        if (value is null)
            return null;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"--system '{Text}': {key} must be an integer, got '{value}'");
    }

    /// <summary>Throws when the spec carries a key that no reader asked for.</summary>
    public void RequireAllUsed()
    {
        var unknown = parameters.Keys.Where(key => !used.Contains(key)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"--system '{Text}': unknown parameter(s) {string.Join(", ", unknown)} for kind '{Kind}' (known: {string.Join(", ", used)})");
    }
}
