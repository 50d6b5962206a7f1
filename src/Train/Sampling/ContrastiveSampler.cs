namespace SearchRerank.Train.Sampling;

/// <summary>
/// Groups of 1 judged positive + (GroupSize − 1) negatives drawn from the query's first-stage list with the
/// positives removed (localized contrastive estimation, Gao et al. ECIR 2021; also used for pointwise BCE).
/// Every epoch visits each query once in a fresh order; the positive and the negatives are drawn afresh per group.
/// A query with fewer negatives than needed repeats some (drawn with replacement once the pool is used up).
/// With <c>otherPositives</c> &gt; 0, up to that many of a group's negatives are drawn first from the pool's documents that
/// are judged positives of other (not title) training queries: every judged positive is such a document, so without them "was a training
/// positive" is a feature the model can learn instead of relevance (docs/training.md, "What was tried", measures how much it does).
/// </summary>
internal sealed class ContrastiveSampler : IGroupSampler
{
    private readonly IReadOnlyList<TrainingQuery> queries;
    private readonly long seed;
    private readonly Curriculum? curriculum;
    private readonly EpochOrder order;
    private readonly int otherPositives;
    private readonly int[][] otherPositiveNegatives;

    public ContrastiveSampler(IReadOnlyList<TrainingQuery> queries, int groupSize, long seed, Curriculum? curriculum = null, int otherPositives = 0)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "a group needs a positive and at least one negative");
        var usable = queries.Where(q => q.Positives.Count > 0 && q.Negatives.Count > 0).ToArray();
        if (usable.Length == 0)
            throw new ArgumentException($"none of the {queries.Count} training queries has both a judged positive and a first-stage negative", nameof(queries));
        this.queries = usable;
        GroupSize = groupSize;
        this.seed = seed;
        this.curriculum = curriculum;
        order = new EpochOrder(seed, usable.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(otherPositives);
        this.otherPositives = Math.Min(otherPositives, groupSize - 1);
        var judged = usable.Where(q => !q.TitleQuery).SelectMany(q => q.Positives.Select(p => p.DocId)).ToHashSet(StringComparer.Ordinal);
        otherPositiveNegatives = usable.Select(q => Enumerable.Range(0, q.Negatives.Count).Where(i => judged.Contains(q.Negatives[i].DocId)).ToArray()).ToArray();
    }

    public int GroupSize { get; }

    public int GroupsPerEpoch => this.queries.Count;

    /// <summary>Queries left out because they lack a positive or a negative.</summary>
    public int Skipped(int total) => total - this.queries.Count;

    public TrainingGroup Sample(long position)
    {
        var (item, epoch) = order.At(position);
        var query = this.queries[item];
        var random = SplitMix64.For(this.seed, epoch, position);

        var positive = query.Positives[random.Next(query.Positives.Count)];
        int needed = GroupSize - 1;
        var chosen = new List<Candidate>(GroupSize) { positive };
        var others = otherPositiveNegatives[item];
        var taken = random.Choose(others.Length, Math.Min(this.otherPositives, others.Length)).Select(j => others[j]).ToArray();
        foreach (int i in taken)
            chosen.Add(query.Negatives[i]);
        var rest = Enumerable.Range(0, query.Negatives.Count).Except(taken).ToArray();
        int distinct = Math.Min(needed - taken.Length, rest.Length);
        foreach (int i in random.Choose(rest.Length, distinct))
            chosen.Add(query.Negatives[rest[i]]);
        for (int i = taken.Length + distinct; i < needed; i++)
            chosen.Add(query.Negatives[random.Next(query.Negatives.Count)]);

        var labels = new float[GroupSize];
        labels[0] = 1f;
        double difficulty = 1.0;
        if (this.curriculum is not null)
            difficulty = chosen.Select((c, i) => this.curriculum.Difficulty(c, i == 0, query.MinScore, query.MaxScore)).Average();
        return new TrainingGroup(query.Id, query.Text, chosen.Select(c => c.DocId).ToArray(), labels, difficulty, query.TitleQuery);
    }

    public override string ToString() => $"ContrastiveSampler(queries={this.queries.Count}{(this.queries.Any(q => q.TitleQuery) ? $",title_queries={this.queries.Count(q => q.TitleQuery)}" : "")},group={GroupSize},seed={this.seed}{(this.otherPositives > 0 ? $",other_positives={this.otherPositives}" : "")}{(this.curriculum is null ? "" : "," + this.curriculum)})";
}
