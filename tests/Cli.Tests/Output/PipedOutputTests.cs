namespace SearchRerank.Cli.Tests.Output;

/// <summary>Output redirected to a file or pipe is plain text: no escape codes and no wrapping at 80 columns.</summary>
public sealed class PipedOutputTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void EvalTableIsPlainAndUnwrapped()
    {
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
        var longName = "a-run-file-whose-name-is-much-longer-than-eighty-columns-would-allow-in-a-table-cell.run";
        var run = temp.File(longName, "q1 Q0 d1 1 2.0 x\nq1 Q0 d2 2 1.0 x\nq2 Q0 d1 1 2.0 x\nq2 Q0 d2 2 1.0 x\n");
        var other = temp.File("other.run", "q1 Q0 d2 1 2.0 y\nq1 Q0 d1 2 1.0 y\nq2 Q0 d2 1 2.0 y\n");
        var result = CliRunner.Run(temp.Path, "eval", "--qrels", qrels, "--run", run, "--run", other, "--metrics", "ndcg_cut_10,recip_rank,recall_100,map");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stdout + result.Stderr);
        var row = result.Stdout.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.Contains(longName, StringComparison.Ordinal));
        Assert.NotNull(row);
        // The whole row, with every metric column, is one line.
        Assert.Matches(@"\d\.\d{4}.*\d\.\d{4}.*\d\.\d{4}.*\d\.\d{4}", row);
    }

    [Fact]
    public void NoColorOnATerminalStillMeansNoEscapeCodes()
    {
        var qrels = temp.File("qrels.tsv", "q1\t0\td1\t1\n");
        var run = temp.File("r.run", "q1 Q0 d1 1 2.0 x\n");
        var result = CliRunner.Run(temp.Path, new Dictionary<string, string> { ["NO_COLOR"] = "1" }, "eval", "--qrels", qrels, "--run", run);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stdout + result.Stderr);
    }
}
