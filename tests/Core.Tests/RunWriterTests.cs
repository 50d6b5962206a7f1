
namespace SearchRerank.Core.Tests;

public class RunWriterTests
{
    [Fact]
    public void WritesRanksInTrecOrderAndRoundTrips()
    {
        var run = new Run("sys");
        run.Add("q2", "x", 0.1);
        run.Add("q1", "a", 1.0);
        run.Add("q1", "b", 1.0);
        run.Add("q1", "c", 3.25);
        run.Add("q1", "d", 0.30000000000000004);
        using var dir = new TempDirectory();
        var path = dir.Combine("out", "sys.trec");
        RunWriter.Write(run, path, "BM25");

        Assert.Equal(
            ["q2 Q0 x 1 0.1 BM25", "q1 Q0 c 1 3.25 BM25", "q1 Q0 b 2 1 BM25", "q1 Q0 a 3 1 BM25", "q1 Q0 d 4 0.30000000000000004 BM25"],
            File.ReadAllLines(path));
        var back = RunReader.Read(path);
        Assert.Equal(run.Ranked("q1"), back.Ranked("q1"));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void RejectsWhitespaceInTagOrIdsWithoutLeavingAFile()
    {
        var run = new Run("sys");
        run.Add("q1", "doc 1", 1);
        using var dir = new TempDirectory();
        var path = dir.Combine("r.trec");
        Assert.Throws<ArgumentException>(() => RunWriter.Write(run, path, "my tag"));
        var error = Assert.Throws<ArgumentException>(() => RunWriter.Write(run, path, "tag"));
        Assert.Contains("document id 'doc 1'", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
