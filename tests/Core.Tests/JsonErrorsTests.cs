using System.Text.Json;

namespace SearchRerank.Core.Tests;

public class JsonErrorsTests
{
    private static JsonException Parse(string text) => Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text).Dispose());

    [Fact]
    public void ReasonDropsSystemTextJsonsZeroBasedLocation()
    {
        var error = Parse("{\"a\": 1,\n \"b\": x}");
        Assert.Contains("LineNumber", error.Message);
        var reason = JsonErrors.Reason(error);
        Assert.DoesNotContain("LineNumber", reason);
        Assert.DoesNotContain("BytePositionInLine", reason);
        Assert.StartsWith("'x' is an invalid start of a value", reason);
        Assert.Equal(2, JsonErrors.Line(error));
    }

    [Fact]
    public void QueriesReaderReportsTheFileLineOnce()
    {
        using var dir = new TempDirectory();
        var path = dir.File("q.jsonl", "{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\", \"text\": oops}\n");
        var error = Assert.Throws<DataFormatException>(() => QueriesReader.Read(path).ToList());
        Assert.Equal(2, error.Line);
        Assert.StartsWith($"{path}:2: invalid JSON: 'o' is an invalid start of a value", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }
}
