
namespace SearchRerank.Core.Tests;

public class RunReaderTests
{
    [Fact]
    public void IgnoresRankColumnAndRanksByScore()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bm25.run", "# comment\n1 Q0 d1 1 1.5 tag\n1 Q0 d2 2 2.5 tag extra\n\n2 Q0 d3 1 -1e2 tag\n");
        var run = RunReader.Read(path);
        Assert.Equal("bm25.run", run.Name);
        Assert.Equal(["1", "2"], run.QueryIds);
        Assert.Equal([new RunEntry("d2", 2.5), new RunEntry("d1", 1.5)], run.Ranked("1"));
        Assert.Equal(-100, run.Ranked("2")[0].Score);
    }

    [Theory]
    [InlineData("1 Q0 d1 1 1.0 t\n1 Q0 d2 2 0.5\n", 2, "expected 6 columns (qid Q0 docid rank score tag), got 5")]
    [InlineData("1 Q0 d1 1 high t\n", 1, "score must be a finite number, got 'high'")]
    [InlineData("1 Q0 d1 1 nan t\n", 1, "score must be a finite number, got 'nan'")]
    [InlineData("1 Q0 d0 1 1.0 t\n1 Q0 d1 2 NaN t\n", 2, "score must be a finite number, got 'NaN'")]
    [InlineData("1 Q0 d1 1 Infinity t\n", 1, "score must be a finite number, got 'Infinity'")]
    [InlineData("1 Q0 d1 1 -Infinity t\n", 1, "score must be a finite number, got '-Infinity'")]
    [InlineData("1 Q0 d1 1 INFINITY t\n", 1, "score must be a finite number, got 'INFINITY'")]
    [InlineData("1 Q0 d1 1 -inf t\n", 1, "score must be a finite number, got '-inf'")]
    [InlineData("1 Q0 d1 1 1e999 t\n", 1, "score must be a finite number, got '1e999'")]
    [InlineData("1 Q0 d1 1 1.0 t\n2 Q0 d1 1 1.0 t\n1 Q0 d1 3 0.2 t\n", 3, "duplicate document 'd1' for query '1'")]
    public void MalformedLineNamesFileAndLine(string content, long line, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.run", content);
        var error = Assert.Throws<DataFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:{line}: {message}", error.Message);
    }

    [Fact]
    public void EmptyRunIsAnError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.run", "\n# nothing\n");
        Assert.Equal($"{path}: run is empty", Assert.Throws<DataFormatException>(() => RunReader.Read(path)).Message);
    }
}
