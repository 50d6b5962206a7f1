namespace SearchRerank.Cli.Tests;

/// <summary>
/// The regression files' short entries (regressions/*.json) reproduce their recorded figures through
/// <c>searchrerank regress</c>, and a figure off by more than its tolerance fails the command.
/// </summary>
public sealed class RegressionTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("cranfield")]
    [InlineData("scifact")]
    public void The_short_entries_reproduce_their_figures(string collection)
    {
        var file = Path.Combine(SharedPaths.RepoRoot, "regressions", $"{collection}.json");
        var result = CliRunner.RunFor(TimeSpan.FromMinutes(6), temp.Path, "regress", file, "--work", temp.Combine("work"), "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"| {collection}/bm25 | ndcg_cut_10 |", result.Stdout);
        Assert.Contains($"| {collection}/reference-model | ndcg_cut_10 |", result.Stdout);
        Assert.DoesNotContain("FAILED", result.Stdout);
    }

    [Fact]
    public void A_figure_beyond_its_tolerance_fails_and_is_named()
    {
        var file = WriteFile("drift.json", """
            { "collection": "cranfield", "corpus": "CORPUS", "queries": "QUERIES", "qrels": "QRELS",
              "entries": [ { "name": "bm25", "description": "d", "cost": "s", "short": true, "system": "bm25",
                             "expected": { "ndcg_cut_10": 0.3611 }, "tolerance": 0.005 } ] }
            """);
        var result = CliRunner.Run(temp.Path, "regress", file, "--work", temp.Combine("work"), "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("| cranfield/bm25 | ndcg_cut_10 | 0.3611 | 0.3511 | -0.0100 | 0.0050 | FAILED |", result.Stdout);
    }

    [Fact]
    public void A_malformed_file_is_refused_with_its_line_and_field_before_anything_runs()
    {
        var file = WriteFile("bad.json", """
            { "collection": "cranfield", "corpus": "CORPUS", "queries": "QUERIES", "qrels": "QRELS",
              "entries": [
                { "name": "ce", "description": "d", "cost": "s", "system": "rerank:depth=10",
                  "expected": { "ndcg_cut_10": 0.3 }, "tolerance": 0.01 } ] }
            """);
        var result = CliRunner.Run(temp.Path, "regress", file, "--work", temp.Combine("work"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}:3: entries[0].system: a rerank system needs model or recipe", result.Stderr);
        Assert.False(Directory.Exists(temp.Combine("work")));

        var unknown = CliRunner.Run(temp.Path, "regress", Path.Combine(SharedPaths.RepoRoot, "regressions", "cranfield.json"), "--entry", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--entry nope: no such entry", unknown.Stderr);
    }

    private string WriteFile(string name, string text)
    {
        var data = CliRunner.SharedPath("data", "cranfield");
        var path = temp.Combine(name);
        File.WriteAllText(path, text.Replace("CORPUS", Path.Combine(data, "corpus.jsonl")).Replace("QUERIES", Path.Combine(data, "queries.jsonl"))
            .Replace("QRELS", Path.Combine(data, "qrels", "test.tsv")));
        return path;
    }
}
