using SearchRerank.Core;
using SearchRerank.Train.Losses;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Stages;

/// <summary>
/// Stage D and score distillation: each group is a teacher's top-group_size list for a training query, in the
/// teacher's order, learned with RankNet over its order (labels max_rank − rank + 1), ListKL or MarginMSE over its scores.
/// </summary>
internal sealed class DistillationStage(StageSpec spec) : IStage
{
    public StageSpec Spec { get; } = spec;

    public IStageObjective Prepare(TrainingSession session, int index)
    {
        long seed = StageSeeds.Of(session.Recipe, index);
        string teacherPath = Spec.Data.Teacher ?? session.Inputs.TeacherPath!;
        var stageQueries = Spec.Data.Queries is { } qp ? TrainingSession.ReadQueries(qp) : session.Queries;
        var training = session.Split.Training.Where(q => stageQueries.ContainsKey(q.Id)).ToArray();
        var lists = TeacherLists.From(RunReader.Read(teacherPath), StageSeeds.Cap(training, Spec.Data.MaxQueries, seed), Spec.GroupSize, out _);
        var absent = lists.SelectMany(l => l.DocIds).Distinct(StringComparer.Ordinal).Where(d => session.Searcher.GetDocument(d) is null).ToArray();
        if (absent.Length > 0)
            throw new TrainingException($"{teacherPath}: {absent.Length} documents of the teacher run are not in the index {session.Inputs.IndexDirectory}, e.g. {string.Join(", ", absent.Take(5))}");
        if (lists.Count == 0)
            throw new TrainingException($"{teacherPath}: the teacher run answers none of the {training.Length} training queries (stage '{Spec.Name}')");
        IRankingLoss loss = Spec.Objective switch
        {
            TrainingObjective.RankNet => new RankNetLoss(),
            TrainingObjective.ListKl => new ListwiseKlLoss(),
            TrainingObjective.MarginMse => new MarginMseLoss(),
            _ => throw new ArgumentOutOfRangeException(nameof(Spec), Spec.Objective, "not a distillation objective"),
        };
        var sampler = new TeacherSampler(lists, Spec.GroupSize, seed, useScores: Spec.Objective != TrainingObjective.RankNet);
        return new RankingObjective(sampler, session.Encoder, loss, Spec.GroupSize, Spec.MaxLength, textOnly: false, curriculum: null);
    }
}
