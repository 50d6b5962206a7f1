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
    public void PipedProgressIsPlainLinesWithRatesAndQuietSilencesIt()
    {
        var corpus = temp.File("corpus.tsv", string.Concat(Enumerable.Range(0, 2500).Select(i => $"d{i}\tdocument number {i} about protein folding\n")));
        var queries = temp.File("queries.tsv", string.Concat(Enumerable.Range(0, 40).Select(i => $"q{i}\tprotein {i}\n")));
        var everyUpdate = new Dictionary<string, string> { ["SEARCHRERANK_PROGRESS_SECONDS"] = "0" };

        var indexed = CliRunner.Run(temp.Path, everyUpdate, "index", "--corpus", corpus, "--index", "idx", "--batch-size", "2000");
        Assert.Equal(0, indexed.ExitCode);
        var progress = indexed.Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("indexing: ", StringComparison.Ordinal)).ToArray();
        // Within the first batch (every 1,000 documents), at its commit, at the second commit, and once on completion.
        Assert.True(progress.Length >= 3, indexed.Stderr);
        Assert.All(progress, l => Assert.Matches(@"^indexing: [\d,]+/2,500 documents \(\d+%\), [\d,.]+ docs/s", l));
        Assert.Contains(progress, l => l.StartsWith("indexing: 1,000/2,500", StringComparison.Ordinal));
        Assert.StartsWith("indexing: 2,500/2,500 documents (100%)", progress[^1]);
        Assert.DoesNotContain('\u001b', indexed.Stdout + indexed.Stderr);
        Assert.DoesNotContain('\r', indexed.Stdout + indexed.Stderr);

        var searched = CliRunner.Run(temp.Path, everyUpdate, "search", "--index", "idx", "--queries", queries, "-k", "10", "--out", "bm25.run");
        Assert.Equal(0, searched.ExitCode);
        Assert.Matches(@"(?m)^searching: 40/40 queries \(100%\), [\d,.]+ queries/s", searched.Stderr);
        Assert.DoesNotContain('\u001b', searched.Stdout + searched.Stderr);

        var quiet = CliRunner.Run(temp.Path, everyUpdate, "search", "--index", "idx", "--queries", queries, "-k", "10", "--out", "quiet.run", "--quiet");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(temp.Path, "bm25.run")), File.ReadAllText(Path.Combine(temp.Path, "quiet.run")));
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
