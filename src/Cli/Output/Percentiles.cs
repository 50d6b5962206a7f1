namespace SearchRerank.Cli.Output;

/// <summary>Latency percentiles as the commands report them (nearest rank, the definition most benchmarks use).</summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="fraction"/> percentile of <paramref name="values"/>; 0 when empty.</summary>
    public static double Nearest(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
