using SearchRerank.Core;
using SearchRerank.Train.Losses;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Stages;

/// <summary>
/// Stage D and score distillation: each group is a teacher's top-group_size list for a training query, in the
/// teacher's order, learned with RankNet over its order (labels max_rank − rank + 1), ListKL or MarginMSE over its scores.
/// The teacher is a TREC run (data.teacher or --teacher) or, with <c>"teacher": "self"</c>, the run's own BM25 +
/// cross-encoder fusion as the stage starts (<see cref="SelfTeacher"/>).
/// </summary>
internal sealed class DistillationStage(StageSpec spec) : IStage
{
    public StageSpec Spec { get; } = spec;

    public IStageObjective Prepare(TrainingSession session, int index)
    {
        long seed = StageSeeds.Of(session.Recipe, index);
        var stageQueries = Spec.Data.Queries is { } qp ? TrainingSession.ReadQueries(qp) : session.Queries;
        var training = session.Split.Training.Where(q => stageQueries.ContainsKey(q.Id)).ToArray();
        var queries = StageSeeds.Cap(training, Spec.Data.MaxQueries, seed);
        var lists = Spec.Data.SelfTeacher
            ? TeacherLists.From(SelfTeacher.Rank(session, index, queries), queries, Spec.GroupSize, out _)
            : FromRun(session, queries);
        if (lists.Count == 0)
            throw new TrainingException($"{TeacherName(session)}: the teacher answers none of the {training.Length} training queries (stage '{Spec.Name}')");
        IRankingLoss loss = Spec.Objective switch
        {
            TrainingObjective.RankNet => new RankNetLoss(),
            TrainingObjective.ListKl => new ListwiseKlLoss(),
            TrainingObjective.MarginMse => new MarginMseLoss(),
            _ => throw new ArgumentOutOfRangeException(nameof(Spec), Spec.Objective, "not a distillation objective"),
        };
        var sampler = new TeacherSampler(lists, Spec.GroupSize, seed, useScores: Spec.Objective != TrainingObjective.RankNet);
        return new RankingObjective(sampler, session.Encoder, loss, Spec.GroupSize, Spec.MaxLength, curriculum: null);
    }

    private string TeacherName(TrainingSession session) =>
        Spec.Data.SelfTeacher ? SelfTeacher.RunPath(session, Spec) : Spec.Data.Teacher ?? session.Inputs.TeacherPath!;

    private IReadOnlyList<TeacherList> FromRun(TrainingSession session, IReadOnlyList<Topic> queries)
    {
        string teacherPath = TeacherName(session);
        var lists = TeacherLists.From(RunReader.Read(teacherPath), queries, Spec.GroupSize, out _);
        var absent = lists.SelectMany(l => l.DocIds).Distinct(StringComparer.Ordinal).Where(d => session.Searcher.GetDocument(d) is null).ToArray();
        if (absent.Length > 0)
            throw new TrainingException($"{teacherPath}: {absent.Length} documents of the teacher run are not in the index {session.Inputs.IndexDirectory}, e.g. {string.Join(", ", absent.Take(5))}");
        return lists;
    }
}
