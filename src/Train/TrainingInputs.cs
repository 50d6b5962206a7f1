namespace SearchRerank.Train;

/// <summary>
/// What a recipe is run on: the index the first stage searches (and negatives come from), the training queries
/// and qrels, an optional teacher run for distillation stages, and the output model folder.
/// <see cref="Resume"/> continues from the last checkpoint in the output folder; without it an existing checkpoint
/// is an error, so a finished or running experiment is never overwritten by accident.
/// </summary>
public sealed record TrainingInputs(
    string IndexDirectory,
    string QueriesPath,
    string QrelsPath,
    string? TeacherPath,
    string OutputDirectory,
    bool Resume = false,
    int Threads = 0);
