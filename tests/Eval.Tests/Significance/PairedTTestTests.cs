using SearchRerank.Eval.Significance;

namespace SearchRerank.Eval.Tests.Significance;

/// <summary>
/// Reference values computed independently: t by hand from the differences, p by numerically integrating the
/// Student t density (Python, math.gamma, 200k-point quadrature), not with MathNet.
/// </summary>
public class PairedTTestTests
{
    [Fact]
    public void FivePairs()
    {
        // d = [1, 0, 2, 0, 3]: mean 1.2, sd = √1.7, t = 1.2 / (√1.7 / √5) = 2.05798, df 4, p = 0.108701.
        var result = PairedTTest.Test([1, 2, 3, 4, 5], [2, 2, 5, 4, 8]);
        Assert.Equal(1.2, result.MeanDifference, 12);
        Assert.Equal(2.0579830217, result.T, 9);
        Assert.Equal(4, result.DegreesOfFreedom);
        Assert.Equal(0.1087009513, result.PValue, 6);
    }

    [Fact]
    public void TenPairsOfMetricValues()
    {
        double[] baseline = [0.2, 0.5, 0.1, 0.9, 0.4, 0.3, 0.0, 0.7, 0.6, 0.8];
        double[] candidate = [0.3, 0.4, 0.4, 0.9, 0.6, 0.5, 0.1, 0.6, 0.9, 0.9];
        var result = PairedTTest.Test(baseline, candidate);
        Assert.Equal(0.11, result.MeanDifference, 12);
        Assert.Equal(2.4003967926, result.T, 9);
        Assert.Equal(0.0398719386, result.PValue, 6);
    }

    [Fact]
    public void IsAntisymmetric()
    {
        var forward = PairedTTest.Test([1, 2, 3, 4, 5], [2, 2, 5, 4, 8]);
        var backward = PairedTTest.Test([2, 2, 5, 4, 8], [1, 2, 3, 4, 5]);
        Assert.Equal(-forward.T, backward.T, 12);
        Assert.Equal(forward.PValue, backward.PValue, 12);
    }

    [Fact]
    public void IdenticalRunsHavePValueOne()
    {
        var result = PairedTTest.Test([0.1, 0.5, 0.3], [0.1, 0.5, 0.3]);
        Assert.Equal(0, result.T);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void ConstantShiftIsCertain()
    {
        var result = PairedTTest.Test([1, 2, 3], [1.5, 2.5, 3.5]);
        Assert.Equal(double.PositiveInfinity, result.T);
        Assert.Equal(0, result.PValue);
    }

    [Fact]
    public void LargeTKeepsRelativePrecision()
    {
        // t = √300 = 17.3205 with 9 df: p = 3.21587e-8 (same quadrature), checked to 5 significant digits.
        double[] baseline = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        double[] candidate = [1.0, 1.1, 0.9, 1.2, 0.8, 1.0, 1.1, 0.9, 1.3, 0.7];
        var result = PairedTTest.Test(baseline, candidate);
        Assert.Equal(Math.Sqrt(300), result.T, 9);
        Assert.Equal(3.215869e-8, result.PValue, 5e-13);
    }

    [Fact]
    public void RejectsUnpairedOrTooSmallSamples()
    {
        Assert.Throws<ArgumentException>(() => PairedTTest.Test([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => PairedTTest.Test([1], [2]));
    }
}
