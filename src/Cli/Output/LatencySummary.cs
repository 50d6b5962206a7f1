using System.Globalization;

namespace SearchRerank.Cli.Output;

/// <summary>
/// The per-query latency every batch command reports: p50 and p99 in milliseconds, nearest rank (the definition most
/// benchmarks use).
/// </summary>
internal static class LatencySummary
{
    public static string Of(IEnumerable<double> milliseconds, int decimals)
    {
        var sorted = milliseconds.Order().ToArray();
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return $"p50 {Nearest(sorted, 0.50).ToString(format, CultureInfo.InvariantCulture)} ms, p99 {Nearest(sorted, 0.99).ToString(format, CultureInfo.InvariantCulture)} ms";
    }

    private static double Nearest(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
