namespace SearchRerank.Train.Sampling;

/// <summary>
/// Groups of 1 judged positive + (GroupSize − 1) negatives drawn from the query's first-stage list with the
/// positives removed (localized contrastive estimation, Gao et al. ECIR 2021; also used for pointwise BCE).
/// Every epoch visits each query once in a fresh order; the positive and the negatives are drawn afresh per group.
/// A query with fewer negatives than needed repeats some (drawn with replacement once the pool is used up).
/// </summary>
public sealed class ContrastiveSampler : IGroupSampler
{
    private readonly IReadOnlyList<TrainingQuery> _queries;
    private readonly long _seed;
    private readonly Curriculum? _curriculum;
    private readonly EpochOrder _order;

    public ContrastiveSampler(IReadOnlyList<TrainingQuery> queries, int groupSize, long seed, Curriculum? curriculum = null)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "a group needs a positive and at least one negative");
        var usable = queries.Where(q => q.Positives.Count > 0 && q.Negatives.Count > 0).ToArray();
        if (usable.Length == 0)
            throw new ArgumentException($"none of the {queries.Count} training queries has both a judged positive and a first-stage negative", nameof(queries));
        _queries = usable;
        GroupSize = groupSize;
        _seed = seed;
        _curriculum = curriculum;
        _order = new EpochOrder(seed, usable.Length);
    }

    public int GroupSize { get; }

    public int GroupsPerEpoch => _queries.Count;

    /// <summary>Queries left out because they lack a positive or a negative.</summary>
    public int Skipped(int total) => total - _queries.Count;

    public TrainingGroup Sample(long position)
    {
        var (item, epoch) = _order.At(position);
        var query = _queries[item];
        var random = SplitMix64.For(_seed, epoch, position);

        var positive = query.Positives[random.Next(query.Positives.Count)];
        int needed = GroupSize - 1;
        var chosen = new List<Candidate>(GroupSize) { positive };
        int distinct = Math.Min(needed, query.Negatives.Count);
        foreach (int i in random.Choose(query.Negatives.Count, distinct))
            chosen.Add(query.Negatives[i]);
        for (int i = distinct; i < needed; i++)
            chosen.Add(query.Negatives[random.Next(query.Negatives.Count)]);

        var labels = new float[GroupSize];
        labels[0] = 1f;
        double difficulty = 1.0;
        if (_curriculum is not null)
            difficulty = chosen.Select((c, i) => _curriculum.Difficulty(c, i == 0, query.MinScore, query.MaxScore)).Average();
        return new TrainingGroup(query.Id, query.Text, chosen.Select(c => c.DocId).ToArray(), labels, difficulty);
    }

    public override string ToString() => $"ContrastiveSampler(queries={_queries.Count},group={GroupSize},seed={_seed}{(_curriculum is null ? "" : "," + _curriculum)})";
}
