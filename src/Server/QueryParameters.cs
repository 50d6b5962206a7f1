using System.Globalization;

namespace SearchRerank.Server;

/// <summary>A URL's query parameters read strictly: a value that is not of its kind or out of range is a 400 naming it.</summary>
internal sealed class QueryParameters(IQueryCollection query)
{
    public string? Text(string name) => query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    public int Int(string name, int fallback, int min, int max)
    {
        if (Text(name) is not { } text)
            return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw ApiException.BadRequest($"parameter '{name}' must be an integer from {min} to {max}, got '{Shorten(text)}'");
        return value;
    }

    public double? Double(string name, double min, double max)
    {
        if (Text(name) is not { } text)
            return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            throw ApiException.BadRequest($"parameter '{name}' must be a number from {min} to {max}, got '{Shorten(text)}'");
        return value;
    }

    public bool Bool(string name, bool fallback) => Text(name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var other => throw ApiException.BadRequest($"parameter '{name}' must be true or false, got '{Shorten(other)}'"),
    };

    private static string Shorten(string text) => Core.TextPreview.Shorten(text, 40);
}
