namespace SearchRerank.Train.Sampling;

/// <summary>The order in which an epoch visits the items: a shuffle seeded with seed + epoch, cached for the current epoch.</summary>
internal sealed class EpochOrder
{
    private readonly long _seed;
    private readonly int _count;
    private long _epoch = -1;
    private int[] _order = [];

    public EpochOrder(long seed, int count)
    {
        _seed = seed;
        _count = count;
    }

    /// <summary>The item at <paramref name="position"/> of the stream, and its epoch.</summary>
    public (int Item, long Epoch) At(long position)
    {
        long epoch = position / _count;
        lock (this)
        {
            if (epoch != _epoch)
            {
                var order = Enumerable.Range(0, _count).ToArray();
                SplitMix64.For(_seed + epoch).Shuffle(order);
                _order = order;
                _epoch = epoch;
            }
            return (_order[(int)(position % _count)], epoch);
        }
    }
}
