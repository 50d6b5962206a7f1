namespace SearchRerank.Train.Sampling;

/// <summary>
/// A tiny deterministic generator (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", 2014).
/// Chosen over System.Random so that sequences are fixed by this file alone, and so that a stream can be derived
/// from (seed, epoch, index): a resumed run draws exactly the numbers the uninterrupted one drew without saving any
/// generator state.
/// </summary>
public sealed class SplitMix64
{
    private ulong state;

    public SplitMix64(ulong seed) => this.state = seed;

    /// <summary>A generator for one position of a stream: seed, then any number of coordinates (stage, epoch, index …).</summary>
    public static SplitMix64 For(long seed, params long[] coordinates)
    {
        ulong state = Mix((ulong)seed);
        foreach (long c in coordinates)
            state = Mix(state ^ Mix((ulong)c + 0x9E3779B97F4A7C15UL));
        return new SplitMix64(state);
    }

    public ulong NextUInt64()
    {
        this.state += 0x9E3779B97F4A7C15UL;
        return Mix(this.state);
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), unbiased (rejection of the short last interval).</summary>
    public int Next(int bound)
    {
        if (bound <= 0)
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be positive");
        ulong b = (ulong)bound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong x;
        do
            x = NextUInt64();
        while (x >= limit);
        return (int)(x % b);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><paramref name="count"/> distinct indices of [0, <paramref name="n"/>) in draw order (partial Fisher–Yates).</summary>
    public int[] Choose(int n, int count)
    {
        if (count > n)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot choose {count} distinct of {n}");
        var pool = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + Next(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
