namespace SearchRerank.Train.Sampling;

/// <summary>
/// Groups made of a teacher's top-GroupSize list for a query, in the teacher's order (distillation, stage "D").
/// Labels are RankNet grades max_rank − rank + 1 (so the teacher's first document gets GroupSize, the last 1)
/// or, for score-based losses (ListKL, MarginMSE), the teacher's scores. Every epoch visits each query once in a
/// fresh order.
/// </summary>
public sealed class TeacherSampler : IGroupSampler
{
    private readonly IReadOnlyList<TeacherList> lists;
    private readonly long seed;
    private readonly bool useScores;
    private readonly EpochOrder order;

    public TeacherSampler(IReadOnlyList<TeacherList> lists, int groupSize, long seed, bool useScores)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "a teacher group needs at least two documents");
        var usable = lists.Where(l => l.DocIds.Count >= groupSize).ToArray();
        if (usable.Length == 0)
            throw new ArgumentException($"no query of the teacher run has {groupSize} ranked documents (the stage's group_size)", nameof(lists));
        this.lists = usable;
        GroupSize = groupSize;
        this.seed = seed;
        this.useScores = useScores;
        order = new EpochOrder(seed, usable.Length);
    }

    public int GroupSize { get; }

    public int GroupsPerEpoch => this.lists.Count;

    public TrainingGroup Sample(long position)
    {
        var list = this.lists[order.At(position).Item];
        var labels = new float[GroupSize];
        for (int rank = 1; rank <= GroupSize; rank++)
            labels[rank - 1] = this.useScores ? (float)list.Scores[rank - 1] : GradeOf(rank, GroupSize);
        return new TrainingGroup(list.QueryId, list.Text, list.DocIds.Take(GroupSize).ToArray(), labels, 1.0);
    }

    /// <summary>RankNet label of the document at <paramref name="rank"/> (from 1) in a list of <paramref name="maxRank"/>.</summary>
    public static float GradeOf(int rank, int maxRank) => maxRank - rank + 1;

    public override string ToString() => $"TeacherSampler(queries={this.lists.Count},group={GroupSize},seed={this.seed},labels={(this.useScores ? "scores" : "grades")})";
}
