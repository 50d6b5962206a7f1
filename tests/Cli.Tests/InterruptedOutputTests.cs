namespace SearchRerank.Cli.Tests;

/// <summary>
/// A command that writes a run, stopped by a real signal midway, leaves no file at all (neither the run nor a
/// temporary sibling) and says so in one line, with exit code 130 or 143.
/// </summary>
public sealed class InterruptedOutputTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void Rerank_stopped_midway_writes_nothing(string signal, int exitCode)
    {
        var index = temp.Combine("index");
        Assert.Equal(0, CliRunner.Run(temp.Path, "index", "--corpus", SyntheticCorpus.Write(temp.Combine("corpus.tsv"), 3000), "--index", index).ExitCode);
        var queries = temp.File("queries.tsv", string.Concat(Enumerable.Range(0, 300).Select(i => $"q{i}\taspirin marker{i * 7} coffee\n")));
        var firstStage = temp.Combine("bm25.run");
        Assert.Equal(0, CliRunner.Run(temp.Path, "search", "--index", index, "--queries", queries, "-k", "100", "--out", firstStage).ExitCode);
        var outFolder = Directory.CreateDirectory(temp.Combine("out")).FullName;

        using var rerank = new ToolProcess(temp.Path, "rerank", "--run", firstStage, "--queries", queries, "--index", index,
            "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"), "--depth", "100", "--out", Path.Combine(outFolder, "ce.run"));
        // Stop once it has re-ranked something: 30,000 pairs take far longer than that.
        Assert.True(rerank.WaitUntil(() => rerank.StderrSoFar.Contains("re-ranking: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
            "rerank ended before it could be stopped");
        rerank.Signal(signal);
        var stopped = rerank.Wait(TimeSpan.FromSeconds(30));
        Assert.True(stopped.ExitCode == exitCode, stopped.ToString());
        Assert.EndsWith($"stopped by SIG{signal}: nothing half-written was left\n", stopped.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outFolder));
    }
}
