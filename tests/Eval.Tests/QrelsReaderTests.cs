using SearchRerank.Core;
using SearchRerank.Eval;

namespace SearchRerank.Eval.Tests;

public class QrelsReaderTests
{
    [Fact]
    public void ReadsBeirTsvWithHeaderAndKeepsGrades()
    {
        using var dir = new TempDirectory();
        var path = dir.File("q.tsv", "query-id\tcorpus-id\tscore\n1\td1\t2\n1\td2\t0\n\n2\td3\t1\n");
        var qrels = QrelsReader.Read(path);
        Assert.Equal(["1", "2"], qrels.QueryIds);
        Assert.Equal(2, qrels.Judgments("1")["d1"]);
        Assert.Equal(0, qrels.Judgments("1")["d2"]);
        Assert.Equal(1, qrels.RelevantCount("1"));
        Assert.Equal(2, qrels.RelevantCount("1", threshold: 0));
        Assert.Equal(1, qrels.RelevantCount("1", threshold: 2));
        Assert.Equal(["d1"], qrels.RelevantDocuments("1"));
        Assert.Equal(["d1", "d2"], qrels.RelevantDocuments("1", threshold: 0));
        Assert.Empty(qrels.RelevantDocuments("3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => qrels.RelevantDocuments("1", threshold: -1));
        Assert.True(qrels.Contains("2"));
        Assert.False(qrels.Contains("3"));
        Assert.Empty(qrels.Judgments("3"));
        Assert.Equal(0, qrels.RelevantCount("3"));
    }

    [Fact]
    public void ReadsTrecFourColumnsIgnoringIteration()
    {
        using var dir = new TempDirectory();
        var path = dir.File("q.qrels", "301 0 FBIS-1 1\n301  7  FBIS-2   0\n302 0 LA-9 3\n");
        var qrels = QrelsReader.Read(path);
        Assert.Equal(["301", "302"], qrels.QueryIds);
        Assert.Equal(3, qrels.Judgments("302")["LA-9"]);
        Assert.Equal(1, qrels.RelevantCount("301"));
    }

    [Fact]
    public void NegativeGradeIsNeitherRelevantNorCountedAtThresholdZero()
    {
        using var dir = new TempDirectory();
        var qrels = QrelsReader.Read(dir.File("q.qrels", "1 0 a -1\n1 0 b 0\n1 0 c 1\n"));
        Assert.Equal(2, qrels.RelevantCount("1", threshold: 0));
        Assert.Equal(-1, qrels.Judgments("1")["a"]);
    }

    [Theory]
    [InlineData("1 0 a 1\n1 0 b\n", 2, "expected 4 columns, got 3")]
    [InlineData("1 0 a 1 x\n", 1, "expected 3 columns (query-id corpus-id score) or 4 columns (qid iter docid grade), got 5")]
    [InlineData("1 0 a 1\n1 0 b high\n", 2, "relevance grade must be an integer, got 'high'")]
    [InlineData("1 0 a 1\n\n1 0 a 2\n", 3, "duplicate judgment for query '1', document 'a'")]
    [InlineData("query-id\tcorpus-id\tscore\n1\ta\t1.5\n", 2, "relevance grade must be an integer, got '1.5'")]
    public void MalformedLineNamesFileAndLine(string content, long line, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.qrels", content);
        var error = Assert.Throws<DataFormatException>(() => QrelsReader.Read(path));
        Assert.Equal($"{path}:{line}: {message}", error.Message);
        Assert.Equal(path, error.Path);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.tsv", "query-id\tcorpus-id\tscore\n");
        var error = Assert.Throws<DataFormatException>(() => QrelsReader.Read(path));
        Assert.Equal($"{path}: no judgments found", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => QrelsReader.Read("/nonexistent/q.tsv"));
        Assert.Contains("/nonexistent/q.tsv", error.Message);
    }

    [Fact]
    public void ReadsSharedSciFactAndCranfieldQrels()
    {
        var scifact = QrelsReader.Read(RepositoryRoot.Shared("data", "scifact", "qrels", "test.tsv"));
        Assert.Equal(300, scifact.QueryIds.Count);
        var cranfield = QrelsReader.Read(RepositoryRoot.Shared("data", "cranfield", "qrels", "test.tsv"));
        Assert.Contains(cranfield.QueryIds, q => cranfield.Judgments(q).Values.Any(g => g > 1));
    }
}
