using System.Text.Json;
using SearchRerank.Eval.Reports;
using SearchRerank.Eval.Tests.Significance;

namespace SearchRerank.Eval.Tests.Reports;

public class ReportTests
{
    private static EvaluationReport Report() => EvaluationReport.Create(
        [
            RunComparisonTests.Evaluate("base", [5, 4, 5, 3, 5, 4, 0, 5, 4, 5]),
            RunComparisonTests.Evaluate("<better>", [1, 1, 2, 1, 1, 1, 2, 1, 1, 1]),
        ],
        relevanceThreshold: 1) with
    {
        Descriptions = new Dictionary<string, string> { ["base"] = "BM25(k1=0.9,b=0.4)" },
    };

    [Fact]
    public void JsonHasMetricsPerQueryAndSignificancePerRun()
    {
        var report = Report();
        using var json = JsonDocument.Parse(JsonReport.Render(report));
        var root = json.RootElement;
        Assert.Equal("base", root.GetProperty("baseline").GetString());
        Assert.Equal(10, root.GetProperty("queries").GetInt32());
        var runs = root.GetProperty("runs");
        var baseline = runs.GetProperty("base");
        Assert.Equal("BM25(k1=0.9,b=0.4)", baseline.GetProperty("description").GetString());
        Assert.Equal(report.Baseline.Mean("recip_rank"), baseline.GetProperty("metrics").GetProperty("recip_rank").GetDouble());
        Assert.Equal(0.25, baseline.GetProperty("per_query").GetProperty("recip_rank").GetProperty("q1").GetDouble());
        Assert.False(baseline.TryGetProperty("significance", out _));
        var better = runs.GetProperty("<better>").GetProperty("significance").GetProperty("recip_rank");
        Assert.True(better.GetProperty("significant").GetBoolean());
        Assert.Equal(report.Comparison("<better>", "recip_rank")!.AdjustedPValue, better.GetProperty("p_holm").GetDouble());
        Assert.Equal(9, better.GetProperty("df").GetInt32());
    }

    [Fact]
    public void MarkdownShowsMarksLegendAndTestDetails()
    {
        var markdown = MarkdownReport.Render(Report(), "Title");
        Assert.StartsWith("# Title\n", markdown.ReplaceLineEndings("\n"));
        Assert.Contains("| base — BM25(k1=0.9,b=0.4) | 0.2083 | 0.0000 |", markdown);
        Assert.Contains("| <better> | 0.9000▲ | 0.8000▲ |", markdown);
        Assert.Contains("▲/▼: significantly better/worse than base", markdown);
        Assert.Contains("| recip_rank | <better> | +0.6917 |", markdown);
    }

    [Fact]
    public void HtmlIsEscapedAndChartsOneBarPerChangedQuery()
    {
        var html = HtmlReport.Render(Report(), "A & B");
        Assert.Contains("<title>A &amp; B</title>", html);
        Assert.Contains("&lt;better&gt;", html);
        Assert.DoesNotContain("<better>", html);
        Assert.Contains("<svg", html);
        // Every one of the 10 queries improves on recip_rank, the first metric.
        Assert.Equal(10, html.Split("<rect").Length - 1);
        Assert.Contains("10 queries better, 0 worse, 0 unchanged; mean difference +0.6917 RR.", html);
    }

    [Fact]
    public void HtmlChartHasAxisTitlesUnitsAndMeanLine()
    {
        var html = HtmlReport.Render(Report(), "t");
        Assert.Contains("Δ RR (run − baseline)</text>", html);
        Assert.Contains("10 queries, sorted by difference: 10 better (green), 0 worse (red), 0 unchanged</text>", html);
        Assert.Contains("mean +0.6917</text>", html);
        Assert.Contains("<h2>Per-query RR: &lt;better&gt; − base</h2>", html);
        Assert.Contains("<th>RR<br><small>recip_rank</small></th>", html);
    }

    [Theory]
    [InlineData("/data/scifact/qrels/test.tsv", "scifact, test split")]
    [InlineData("../shared/data/cranfield/qrels/test.tsv", "cranfield, test split")]
    [InlineData("/tmp/my-judgments.txt", "my-judgments.txt")]
    public void TitleNamesCollectionAndSplit(string path, string expected) => Assert.Equal(expected, ReportTitle.FromQrels(path));

    [Fact]
    public void WritersReplaceFilesAtomically()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("sub", "metrics.json");
        JsonReport.Write(Report(), path);
        JsonReport.Write(Report(), path);
        Assert.Single(Directory.GetFiles(dir.Combine("sub")));
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(2, json.RootElement.GetProperty("runs").EnumerateObject().Count());
    }

    [Fact]
    public void DuplicateRunNamesAreRejected()
    {
        var result = RunComparisonTests.Evaluate("same", [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
        var error = Assert.Throws<ArgumentException>(() => EvaluationReport.Create([result, result], 1));
        Assert.Contains("two runs are named 'same'", error.Message);
    }
}
