using SearchRerank.Train.Recipes;

namespace SearchRerank.Train;

/// <summary>The checks that need no index or model: every input file exists and every distillation stage has a teacher.</summary>
internal static class TrainingInputCheck
{
    public static void Check(TrainingRecipe recipe, TrainingInputs inputs)
    {
        if (!Directory.Exists(inputs.IndexDirectory))
            throw new TrainingException($"{inputs.IndexDirectory}: index folder not found");
        foreach (var (path, what) in new[] { (inputs.QueriesPath, "queries"), (inputs.QrelsPath, "qrels") })
            if (path is not null && !File.Exists(path))
                throw new TrainingException($"{path}: {what} file not found");
        if (inputs.QrelsPath is null || inputs.QueriesPath is null)
        {
            // Without labels only the collection itself teaches, and nothing can be validated.
            var labelled = recipe.Stages.Select((s, i) => (s, i)).FirstOrDefault(p => p.s.Data.Source is not (DataSource.Documents or DataSource.Weak));
            if (labelled.s is not null)
                throw new TrainingException($"{recipe.Path}: stages[{labelled.i}] ('{labelled.s.Name}') trains on judged queries: pass --queries and --qrels (without them only mlm and weak stages run)");
            if (recipe.Validation.Count > 0 || recipe.Validation.Fraction > 0)
                throw new TrainingException($"{recipe.Path}: validation_queries needs judged queries: pass --queries and --qrels, or set \"validation_queries\": 0");
        }
        if (inputs.TeacherPath is { } teacher && !File.Exists(teacher))
            throw new TrainingException($"{teacher}: teacher run not found");
        if (inputs.Threads < 0)
            throw new TrainingException($"threads must be >= 0 (0: libtorch's default), got {inputs.Threads}");
        for (int i = 0; i < recipe.Stages.Count; i++)
        {
            var stage = recipe.Stages[i];
            if (stage.Data.Source == DataSource.Teacher && stage.Data.Teacher is null && !stage.Data.SelfTeacher && inputs.TeacherPath is null)
                throw new TrainingException($"{recipe.Path}: stages[{i}] ('{stage.Name}', objective {ObjectiveNames.Name(stage.Objective)}) distills from a teacher run: pass --teacher RUN or set stages[{i}].data.teacher (a run file, or \"{RecipeReader.SelfTeacher}\" for the run's own ranker)");
        }
    }
}
