using System.Text;
using SearchRerank.Core;
using SearchRerank.Search.Index;

namespace SearchRerank.Search.Tests.Index;

public class CorpusReaderTests
{
    [Fact]
    public void ReadsBeirJsonLinesSkippingBlankLinesAndBom()
    {
        using var dir = new TempDirectory();
        var path = dir.File("corpus.jsonl",
            "\uFEFF{\"_id\": \"d1\", \"title\": \"T1\", \"text\": \"body one\", \"metadata\": {}}\r\n\n"
            + "{\"_id\": 42, \"text\": \"no title\"}\n{\"_id\": \"d3\", \"title\": null, \"text\": \"x \\u00e9\"}");
        var docs = CorpusReader.Read(path).ToList();
        Assert.Equal([new CorpusDocument("d1", "T1", "body one"), new CorpusDocument("42", "", "no title"), new CorpusDocument("d3", "", "x é")], docs);
    }

    [Fact]
    public void ReadsTsvWithTwoOrThreeColumnsAndAHeader()
    {
        using var dir = new TempDirectory();
        var path = dir.File("corpus.tsv", "id\ttitle\ttext\na\tTitle A\tText A\nb\tonly text\n");
        Assert.Equal([new CorpusDocument("a", "Title A", "Text A"), new CorpusDocument("b", "", "only text")], CorpusReader.Read(path).ToList());
    }

    [Fact]
    public void ScifactCorpusStreamsAllDocuments()
    {
        var count = 0;
        foreach (var document in CorpusReader.Read(TestPaths.SharedData("scifact", "corpus.jsonl")))
        {
            Assert.NotEmpty(document.Id);
            count++;
        }
        Assert.Equal(5183, count);
    }

    [Theory]
    [InlineData("{\"_id\": \"a\", \"text\": \"ok\"}\n{\"_id\": \"b\", \"text\": ", 2, "malformed JSON")]
    [InlineData("{\"_id\": \"a\", \"text\": \"ok\"}\n\n{\"title\": \"t\", \"text\": \"x\"}\n", 3, "missing field '_id'")]
    [InlineData("{\"_id\": [1], \"text\": \"x\"}\n", 1, "'_id' must be a string")]
    [InlineData("{\"_id\": \"a\", \"text\": 5}\n", 1, "'text' must be a string")]
    [InlineData("[1, 2]\n", 1, "expected a JSON object")]
    [InlineData("{\"_id\": \"\", \"text\": \"x\"}\n", 1, "empty document id")]
    [InlineData("{\"_id\": \"a b\", \"text\": \"x\"}\n", 1, "contains whitespace")]
    public void ReportsBadJsonLinesWithFileAndLine(string content, int line, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl", content);
        var error = Assert.Throws<DataFormatException>(() => CorpusReader.Read(path).ToList());
        Assert.Equal((long)line, error.Line);
        Assert.StartsWith($"{path}:{line}: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(".jsonl")]
    [InlineData(".tsv")]
    public void DetectsInvalidUtf8StrictlyWithLine(string extension)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad" + extension);
        var good = extension == ".tsv" ? "a\tfine\n" : "{\"_id\": \"a\", \"text\": \"fine\"}\n";
        var bad = extension == ".tsv" ? "b\tca" : "{\"_id\": \"b\", \"text\": \"ca";
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(good + bad), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(extension == ".tsv" ? "\n" : "\"}\n")]);
        var error = Assert.Throws<DataFormatException>(() => CorpusReader.Read(path).ToList());
        Assert.Equal(2L, error.Line);
        Assert.Contains("invalid UTF-8", error.Message);
    }

    [Fact]
    public void RejectsWrongTsvColumnCount()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.tsv", "a\tb\tc\td\n");
        var error = Assert.Throws<DataFormatException>(() => CorpusReader.Read(path).ToList());
        Assert.Equal(1L, error.Line);
        Assert.Contains("got 4", error.Message);
    }

    [Fact]
    public void RejectsUnknownFormatAndUnreadableFile()
    {
        using var dir = new TempDirectory();
        var unknown = Assert.Throws<DataFormatException>(() => CorpusReader.Read(dir.File("corpus.xml", "<x/>")));
        Assert.Contains("unknown corpus format '.xml'", unknown.Message);
        // A missing file fails at once, before anything is enumerated (so callers can fail before creating an index).
        var missing = Assert.Throws<DataFormatException>(() => CorpusReader.Read(Path.Combine(dir.Path, "nope.jsonl")));
        Assert.Equal($"{Path.Combine(dir.Path, "nope.jsonl")}: corpus file not found", missing.Message);
    }
}
