using SearchRerank.Eval.Significance;

namespace SearchRerank.Eval.Tests.Significance;

public class HolmBonferroniTests
{
    [Fact]
    public void StepDownWithMonotonicity()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 to stay monotone.
        Assert.Equal([0.03, 0.06, 0.06, 0.02], HolmBonferroni.Adjust([0.01, 0.04, 0.03, 0.005]), new Close(1e-15));
    }

    [Fact]
    public void CapsAtOneAndKeepsSingleTestUnchanged()
    {
        Assert.Equal([1.0, 1.0], HolmBonferroni.Adjust([0.6, 0.7]));
        Assert.Equal([0.2], HolmBonferroni.Adjust([0.2]));
        Assert.Empty(HolmBonferroni.Adjust([]));
    }

    [Fact]
    public void RejectsInvalidPValues() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmBonferroni.Adjust([0.1, double.NaN]));

    private sealed class Close(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
