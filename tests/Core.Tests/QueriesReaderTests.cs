
namespace SearchRerank.Core.Tests;

public class QueriesReaderTests
{
    [Fact]
    public void ReadsBeirJsonLines()
    {
        using var dir = new TempDirectory();
        var path = dir.File("queries.jsonl", "{\"_id\": \"1\", \"text\": \"what is bm25\", \"metadata\": {}}\n\n{\"_id\": 2, \"text\": \"\"}\n");
        Assert.Equal([new Topic("1", "what is bm25"), new Topic("2", "")], QueriesReader.Read(path).ToArray());
    }

    [Theory]
    [InlineData(".jsonl", "{\"_id\": \"1\", \"text\": \"ok\"}\n", "{\"_id\": \"2\", \"text\": \"caf")]
    [InlineData(".tsv", "q1\tok\n", "q2\tcaf")]
    public void InvalidUtf8IsRefusedNamingTheLine(string extension, string first, string second)
    {
        using var dir = new TempDirectory();
        var path = dir.File("queries" + extension);
        // A Latin-1 "é" (0xE9) followed by ASCII is not UTF-8; a lenient decoder would make it U+FFFD and search for that.
        File.WriteAllBytes(path, [.. System.Text.Encoding.UTF8.GetBytes(first + second), 0xE9, .. "\"}\n"u8]);
        var error = Assert.Throws<DataFormatException>(() => QueriesReader.Read(path).ToList());
        Assert.Equal($"{path}:2: invalid UTF-8 at byte {System.Text.Encoding.UTF8.GetByteCount(second) + 1} of the line", error.Message);
    }

    [Fact]
    public void ReadsTsv()
    {
        using var dir = new TempDirectory();
        var path = dir.File("queries.tsv", "q1\tfirst query\nq2\tsecond\twith tab\n");
        Assert.Equal([new Topic("q1", "first query"), new Topic("q2", "second\twith tab")], QueriesReader.Read(path).ToArray());
    }

    [Theory]
    [InlineData("{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\", \"text\": \n", 2, "invalid JSON")]
    [InlineData("{\"_id\": \"1\", \"text\": \"a\"}\n{\"text\": \"b\"}\n", 2, "missing field '_id'")]
    [InlineData("{\"_id\": \"1\", \"text\": 5}\n", 1, "field 'text' must be a string, got Number")]
    [InlineData("{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"1\", \"text\": \"b\"}\n", 2, "duplicate query id '1'")]
    [InlineData("q1\ta\nno tab here\n", 2, "expected 'qid<TAB>text'")]
    public void MalformedLineNamesFileAndLine(string content, long line, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl", content);
        var error = Assert.Throws<DataFormatException>(() => QueriesReader.Read(path).ToList());
        Assert.StartsWith($"{path}:{line}: {message}", error.Message);
    }

    [Fact]
    public void ReadsSharedSciFactQueries()
    {
        var queries = QueriesReader.Read(SharedPaths.Shared("data", "scifact", "queries.jsonl")).ToList();
        Assert.Equal(1109, queries.Count);
        Assert.All(queries, q => Assert.False(string.IsNullOrWhiteSpace(q.Text)));
    }
}
