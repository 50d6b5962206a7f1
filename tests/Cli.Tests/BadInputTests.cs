namespace SearchRerank.Cli.Tests;

/// <summary>
/// Hostile input through the real console process: every failure is one <c>error:</c> line with exit code 1 (no
/// stack trace, no bare .NET message), numbers in runs are finite, and no query leaves a run without a warning.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string BuildIndex()
    {
        var corpus = temp.File("corpus.tsv", "d1\tAspirin\tDaily aspirin lowers heart attack risk\nd2\tCoffee\tCoffee and mortality\n");
        var index = temp.Combine("index");
        var result = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
        Assert.True(result.ExitCode == 0, result.ToString());
        return index;
    }

    private static void AssertOneErrorLine(CliResult result, string start)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith(start, result.Stderr);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("-inf")]
    [InlineData("NaN")]
    public void A_run_with_a_non_finite_score_is_refused_by_fuse_and_eval_with_file_and_line(string score)
    {
        var firstStage = temp.File("bm25.run", $"q1 Q0 d1 1 3.5 bm25\nq1 Q0 d2 2 {score} bm25\n");
        var ce = temp.File("ce.run", "q1 Q0 d1 1 0.5 ce\nq1 Q0 d2 2 0.1 ce\n");
        var fuse = CliRunner.Run(temp.Path, "fuse", "--run", firstStage, "--ce-run", ce, "--alpha", "0.5", "--out", temp.Combine("fused.run"));
        AssertOneErrorLine(fuse, $"error: {firstStage}:2: score must be a finite number, got '{score}'");
        Assert.False(File.Exists(temp.Combine("fused.run")));
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        AssertOneErrorLine(CliRunner.Run(temp.Path, "eval", "--qrels", qrels, "--run", firstStage), $"error: {firstStage}:2: score must be a finite number");
    }

    [Fact]
    public void Empty_and_termless_queries_are_named_in_a_warning_and_the_others_are_searched()
    {
        var index = BuildIndex();
        var queries = temp.File("queries.tsv", "q1\taspirin\nq2\t \nq3\tthe of\nq4\tzebra\n");
        var run = temp.Combine("bm25.run");
        var result = CliRunner.Run(temp.Path, "search", "--index", index, "--queries", queries, "--out", run);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"warning: {queries}: 1 query has empty text and can find nothing: 'q2'\n", result.Stderr);
        Assert.Contains("warning: 3 queries of 4 got no results and are not in the run: 'q2' (no searchable terms), 'q3' (no searchable terms), 'q4' (no document matches)\n",
            result.Stderr);
        Assert.Equal(["q1"], File.ReadLines(run).Select(l => l.Split(' ')[0]).Distinct());
    }

    [Fact]
    public void A_queries_file_with_invalid_utf8_is_refused_with_its_line()
    {
        var index = BuildIndex();
        var queries = temp.File("queries.tsv");
        File.WriteAllBytes(queries, [.. "q1\taspirin\nq2\tcaf"u8, 0xE9, .. "\n"u8]);
        var result = CliRunner.Run(temp.Path, "search", "--index", index, "--queries", queries, "--out", temp.Combine("out.run"));
        AssertOneErrorLine(result, $"error: {queries}:2: invalid UTF-8 at byte 7 of the line");
        Assert.False(File.Exists(temp.Combine("out.run")));
    }

    [Theory]
    [InlineData("an α outside [0, 1]", "error: fusion alpha must be in [0, 1]", "--query", "aspirin", "--rerank", "--fusion-alpha", "7")]
    [InlineData("100,000 nested parentheses", "error: query syntax: parentheses nest 100000 levels deep; at most 100 are accepted", "--syntax", "lucene", "--query", "(")]
    public void Bad_values_get_one_line(string why, string expected, params string[] args)
    {
        var index = BuildIndex();
        // "(" stands for 100,000 of them: the command line of the test stays readable.
        var expanded = args.Select(a => a == "(" ? new string('(', 100_000) : a).ToArray();
        var result = CliRunner.Run(temp.Path, ["search", "--index", index, "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"), .. expanded]);
        Assert.True(result.ExitCode == 1, why + ": " + result);
        AssertOneErrorLine(result, expected);
    }

    [Fact]
    public void A_malformed_100_kb_lucene_query_is_quoted_short()
    {
        var index = BuildIndex();
        var query = string.Concat(Enumerable.Repeat("aspirin AND ", 9_000)) + "\"unclosed";
        var result = CliRunner.Run(temp.Path, "search", "--index", index, "--syntax", "lucene", "--query", query);
        AssertOneErrorLine(result, "error: query syntax: Cannot parse 'aspirin AND aspirin AND");
        Assert.InRange(result.Stderr.Length, 50, 400);
    }
}
