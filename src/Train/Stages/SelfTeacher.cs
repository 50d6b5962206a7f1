using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Stages;

/// <summary>
/// The teacher of a distillation stage with <c>"teacher": "self"</c>: the best ranker the run has when the stage
/// starts, BM25 fused with the cross-encoder as it stands (the previous stage's best weights) by
/// α·z(BM25) + (1 − α)·z(model) (<see cref="ScoreFusion"/>), α from the recipe or tuned on the validation queries
/// exactly as the exported model's fusion.json would be. Each training query's BM25 top-depth is scored through the
/// validation path (<see cref="TrainingSession.Score"/>: eval mode, the export's pair length), so the ranking is the
/// one re-ranking the stage-start model folder would give. It is written as a TREC run in the output folder before
/// the stage's first step and the stage learns from the file read back: a resume inside the stage, when the
/// stage-start weights are gone, reads the same file and so learns from identical lists.
/// </summary>
internal static class SelfTeacher
{
    public static string RunPath(TrainingSession session, StageSpec stage) =>
        Path.Combine(session.Inputs.OutputDirectory, $"teacher-{stage.Name}.run");

    public static Run Rank(TrainingSession session, int index, IReadOnlyList<Topic> queries)
    {
        var stage = session.Recipe.Stages[index];
        string path = RunPath(session, stage);
        if (session.ResumedInside(index) is { } resumed)
        {
            if (!File.Exists(path))
                throw new TrainingException($"{path}: the self-teacher run of stage '{stage.Name}' is missing; the checkpoint {resumed.Folder} was taken inside that stage and cannot resume without it");
            return RunReader.Read(path);
        }
        double alpha = stage.Data.TeacherAlpha ?? TunedAlpha(session, stage);
        var run = new Run("self-teacher");
        foreach (var query in queries)
        {
            session.Cancellation.ThrowIfCancellationRequested();
            var hits = session.Searcher.Search(query.Text, stage.Depth);
            if (hits.Count == 0)
                continue;
            var candidates = hits.Select((h, r) => new Candidate(h.DocId, r + 1, h.Score)).ToArray();
            var scores = session.Score(new ValidationQuery(query.Id, query.Text, candidates));
            var fused = new ScoreFusion(alpha).Combine(candidates.Select(c => c.Score).ToArray(), scores.Select(s => (double)s).ToArray());
            for (int i = 0; i < candidates.Length; i++)
                run.Add(query.Id, candidates[i].DocId, fused[i]);
        }
        Directory.CreateDirectory(session.Inputs.OutputDirectory);
        RunWriter.Write(run, path, $"self-{stage.Name}");
        session.Log.Teacher(stage.Name, alpha, stage.Data.TeacherAlpha is null, run.QueryIds.Count, path);
        return RunReader.Read(path);
    }

    private static double TunedAlpha(TrainingSession session, StageSpec stage)
    {
        var validator = session.Validator
            ?? throw new TrainingException($"{session.Recipe.Path}: stage '{stage.Name}' has a self teacher without data.teacher_alpha, and no query is held out to tune it on; give data.teacher_alpha or raise validation_queries");
        return validator.TuneFusion(validator.Evaluate(session.Score, session.Cancellation)).Alpha;
    }
}
