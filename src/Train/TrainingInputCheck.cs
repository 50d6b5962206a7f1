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
            if (!File.Exists(path))
                throw new TrainingException($"{path}: {what} file not found");
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
