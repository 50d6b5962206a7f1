using System.Text.Json;
using System.Text.RegularExpressions;

namespace SearchRerank.Core;

/// <summary>
/// What a <see cref="JsonException"/> says, made fit for a <c>path:line: message</c> error: System.Text.Json appends
/// its own location (<c>Path: $ | LineNumber: 0 | BytePositionInLine: 51.</c>) with 0-based numbers, which next to the
/// project's 1-based line only confuses.
/// </summary>
internal static partial class JsonErrors
{
    /// <summary>The reason alone, e.g. <c>'x' is an invalid start of a value.</c></summary>
    public static string Reason(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = Location().Replace(exception.Message, "").TrimEnd();
        return message.Length > 0 ? message : "malformed JSON";
    }

    /// <summary>1-based line of the error inside the parsed text, or 0 when System.Text.Json gave none.</summary>
    public static long Line(JsonException exception) => exception.LineNumber is { } line ? line + 1 : 0;

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex Location();
}
