using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Server;

/// <summary>
/// A request's JSON body read by hand, so that every mistake is a 400 naming the field and what it should be
/// (model binding would answer "The JSON value could not be converted" or bind a missing field as null).
/// </summary>
internal sealed class JsonBody : IDisposable
{
    private readonly JsonDocument document;

    private JsonBody(JsonDocument document) => this.document = document;

    public JsonElement Root => document.RootElement;

    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"malformed JSON body: {JsonErrors.Reason(ex)}");
        }
        var kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            throw ApiException.BadRequest($"the body must be a JSON object, got {kind}");
        }
        return new JsonBody(document);
    }

    public string RequiredString(string field) =>
        OptionalString(field) ?? throw ApiException.BadRequest($"field '{field}' is required (a string)");

    public string? OptionalString(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw ApiException.BadRequest($"field '{field}' must be a string, got {value.ValueKind}")
        : null;

    public bool? OptionalBool(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
        ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiException.BadRequest($"field '{field}' must be true or false, got {value.ValueKind}"),
        }
        : null;

    public int? OptionalInt(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
        ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0
            ? number
            : throw ApiException.BadRequest($"field '{field}' must be a non-negative integer, got {value.GetRawText()}")
        : null;

    /// <summary>A list of texts given as strings or as objects with a <c>text</c> field (Cohere and Jina accept both).</summary>
    public IReadOnlyList<string> RequiredTexts(string field, int maxCount)
    {
        if (!Root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"field '{field}' is required (an array of strings or of objects with a 'text' field)");
        var count = value.GetArrayLength();
        if (count > maxCount)
            throw ApiException.TooLarge($"field '{field}' has {count:N0} items; at most {maxCount:N0} are accepted in one request");
        var texts = new List<string>(count);
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            texts.Add(item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Object when item.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String => text.GetString()!,
                _ => throw ApiException.BadRequest($"{field}[{i}] must be a string or an object with a string 'text' field"),
            });
            i++;
        }
        return texts;
    }

    public void Dispose() => document.Dispose();
}
