using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SearchRerank.Server;

/// <summary>
/// Writes a score as a JSON float always (<c>1.0</c>, never <c>1</c>): clients in typed languages parse
/// <c>relevance_score</c> as a float and some reject an integer literal there.
/// </summary>
internal sealed class JsonFloat : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text.Contains('.') || text.Contains('E') ? text : text + ".0");
    }
}
