namespace SearchRerank.Train.Sampling;

/// <summary>The order in which an epoch visits the items: a shuffle seeded with seed + epoch, cached for the current epoch.</summary>
internal sealed class EpochOrder
{
    private readonly long seed;
    private readonly int count;
    private long epoch = -1;
    private int[] order = [];

    public EpochOrder(long seed, int count)
    {
        this.seed = seed;
        this.count = count;
    }

    /// <summary>The item at <paramref name="position"/> of the stream, and its epoch.</summary>
    public (int Item, long Epoch) At(long position)
    {
        long epoch = position / this.count;
        lock (this)
        {
            if (epoch != this.epoch)
            {
                var order = Enumerable.Range(0, this.count).ToArray();
                SplitMix64.For(this.seed + epoch).Shuffle(order);
                this.order = order;
                this.epoch = epoch;
            }
            return (this.order[(int)(position % this.count)], epoch);
        }
    }
}
