using SearchRerank.Cli.Output;

namespace SearchRerank.Cli.Tests.Output;

public sealed class ProgressLineTests
{
    [Fact]
    public void PlainLinesStateCountRateShareAndTimeLeft()
    {
        var text = new StringWriter();
        using (var line = new ProgressLine(text, live: false, "indexing", "documents", "docs/s", TimeSpan.Zero))
        {
            line.Update(1000, 4000);
            Thread.Sleep(20);
            line.Update(2000, 4000);
        }
        var lines = text.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length); // the updates; completion does not repeat a state already written
        Assert.Matches(@"^indexing: 1,000/4,000 documents \(25%\), [\d,.]+ docs/s, elapsed 0:00$", lines[0]); // no rate measured yet: no ETA
        Assert.Matches(@"^indexing: 2,000/4,000 documents \(50%\), [\d,.]+ docs/s, ETA \d+:\d\d, elapsed 0:00$", lines[1]);
        Assert.DoesNotContain('\u001b', text.ToString());
        Assert.DoesNotContain('\r', text.ToString());
    }

    [Fact]
    public void PlainLinesAreThrottledButTheLastStateIsAlwaysWritten()
    {
        var text = new StringWriter();
        var line = new ProgressLine(text, live: false, "searching", "queries", "queries/s", TimeSpan.FromHours(1));
        for (var i = 1; i <= 1000; i++)
            line.Update(i, 1000, "p50 1.0 ms");
        line.Complete();
        line.Complete();
        var lines = text.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length); // the first update, then the final state
        Assert.StartsWith("searching: 1/1,000 queries (0%)", lines[0]);
        Assert.StartsWith("searching: 1,000/1,000 queries (100%)", lines[1]);
        Assert.EndsWith(", p50 1.0 ms", lines[1]);
        Assert.DoesNotContain("ETA", lines[1]);
    }

    [Fact]
    public void SetUpBeforeTheFirstUnitDoesNotCountInTheRate()
    {
        var text = new StringWriter();
        using (var line = new ProgressLine(text, live: false, "training", "steps", "steps/s", TimeSpan.Zero))
        {
            line.Update(0, 100, "mining…");
            Thread.Sleep(400); // mining negatives: no step yet
            line.Update(1, 100);
            Thread.Sleep(50);
            line.Update(11, 100);
        }
        var last = text.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1];
        // 10 steps in ~50 ms is ~200 steps/s, not the ~25 steps/s that counting the 400 ms of mining would give.
        var rate = double.Parse(System.Text.RegularExpressions.Regex.Match(last, @"\), ([\d,.]+) steps/s").Groups[1].Value,
            System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(rate > 60, last);
    }

    [Fact]
    public void UnknownTotalShowsCountAndRateOnly()
    {
        var text = new StringWriter();
        using (var line = new ProgressLine(text, live: false, "pretokenizing", "documents", "docs/s", TimeSpan.Zero))
            line.Update(512);
        Assert.StartsWith("pretokenizing: 512 documents, ", text.ToString());
        Assert.DoesNotContain("%", text.ToString());
    }

    [Fact]
    public void LiveLineRewritesItselfAndEndsWithANewline()
    {
        var text = new StringWriter();
        using (var line = new ProgressLine(text, live: true, "training", "steps", "steps/s", TimeSpan.Zero))
        {
            line.Update(1, 10);
            line.Update(2, 10); // within 100 ms of the first: not drawn
        }
        var output = text.ToString();
        Assert.StartsWith("\r\u001b[2Ktraining: 1/10 steps", output);
        Assert.Contains("\r\u001b[2Ktraining: 2/10 steps", output);
        Assert.EndsWith("\n", output);
    }

    [Fact]
    public void SummaryReplacesTheLastState()
    {
        var text = new StringWriter();
        var line = new ProgressLine(text, live: false, "indexing", "documents", "docs/s", TimeSpan.FromHours(1));
        line.Update(10, 10);
        line.Complete("10 documents in 0.1 s");
        Assert.EndsWith("indexing: 10 documents in 0.1 s\n", text.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(59, "0:59")]
    [InlineData(61, "1:01")]
    [InlineData(3725, "1:02:05")]
    public void DurationsReadAsClockTimes(int seconds, string expected) => Assert.Equal(expected, ProgressLine.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("a\nb\nc\n", 3)]
    [InlineData("a\nb\nc", 3)]
    [InlineData("a\r\nb\r\n\r\n\nc\r\n", 3)]
    [InlineData("\n\n", 0)]
    [InlineData("", 0)]
    public void LineCountSkipsEmptyLinesWhateverTheLineEnd(string text, long expected)
    {
        using var temp = new TempDirectory();
        Assert.Equal(expected, LineCount.NonEmpty(temp.File("c.tsv", text)));
    }
}
