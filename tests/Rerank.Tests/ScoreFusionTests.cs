namespace SearchRerank.Rerank.Tests;

public sealed class ScoreFusionTests
{
    [Fact]
    public void ZScoresUsePopulationStandardDeviation()
    {
        // mean 5, population std 2.
        var z = ScoreFusion.ZScores([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal([-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2], z);
    }

    [Fact]
    public void ConstantScoresContributeZero()
    {
        Assert.Equal([0.0, 0.0, 0.0], ScoreFusion.ZScores([3, 3, 3]));
        Assert.Empty(ScoreFusion.ZScores([]));
        Assert.Equal([0.0], new ScoreFusion(0.5).Combine([10], [-2]));
    }

    [Fact]
    public void AlphaInterpolatesStandardisedScores()
    {
        double[] bm25 = [10, 20, 30];
        double[] ce = [3, 1, 2];
        var zb = ScoreFusion.ZScores(bm25);
        var zc = ScoreFusion.ZScores(ce);
        Assert.Equal(zc, new ScoreFusion(0).Combine(bm25, ce));
        Assert.Equal(zb, new ScoreFusion(1).Combine(bm25, ce));
        var mixed = new ScoreFusion(0.25).Combine(bm25, ce);
        for (var i = 0; i < 3; i++)
            Assert.Equal(0.25 * zb[i] + 0.75 * zc[i], mixed[i], 12);
    }

    [Fact]
    public void ScaleAndShiftOfAStageDoNotMatter()
    {
        double[] bm25 = [1.5, 7, 3.25, 0];
        double[] ce = [-1, 2, 0.5, 4];
        var fusion = new ScoreFusion(0.4);
        var a = fusion.Combine(bm25, ce);
        var b = fusion.Combine(bm25.Select(x => 100 * x + 7).ToArray(), ce.Select(x => 0.01 * x - 3).ToArray());
        for (var i = 0; i < a.Length; i++)
            Assert.Equal(a[i], b[i], 9);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AlphaOutsideUnitIntervalIsRejected(double alpha) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreFusion(alpha));

    [Fact]
    public void MismatchedLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => new ScoreFusion(0.5).Combine([1, 2], [1]));

    [Fact]
    public void FusionFileIsReadFromTheModelDirectory()
    {
        using var dir = new TempDirectory();
        Assert.Null(ScoreFusion.FromModelDirectory(dir.Path));
        File.WriteAllText(Path.Combine(dir.Path, "fusion.json"), "{\"alpha\": 0.3, \"normalization\": \"zscore\"}");
        Assert.Equal(0.3, ScoreFusion.FromModelDirectory(dir.Path)!.Alpha);
        Assert.Equal("zfusion(alpha=0.3)", ScoreFusion.FromModelDirectory(dir.Path)!.ToString());
    }

    [Theory]
    [InlineData("{\"alpha\": 2}", "must be in [0, 1]")]
    [InlineData("{\"beta\": 0.5}", "numeric field 'alpha'")]
    [InlineData("{\"alpha\": 0.5, \"normalization\": \"minmax\"}", "only \"zscore\"")]
    [InlineData("{\n\"alpha\": }", "fusion.json:2: invalid JSON")]
    public void MalformedFusionFileIsNamed(string content, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "fusion.json"), content);
        var ex = Assert.Throws<InvalidDataException>(() => ScoreFusion.FromModelDirectory(dir.Path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("fusion.json", ex.Message);
    }
}
