namespace SearchRerank.Train;

/// <summary>
/// What a recipe is run on: the index the first stage searches (and negatives come from), the training queries
/// and qrels (null for a label-free recipe: only masked-LM and weak title→text stages, no validation), an optional
/// teacher run for distillation stages, and the output model folder.
/// <see cref="Resume"/> continues from the last checkpoint in the output folder; without it an existing checkpoint
/// is an error, so a finished or running experiment is never overwritten by accident. <see cref="Threads"/> sets
/// libtorch's intra-op threads (0: libtorch's default, one per core). <see cref="Device"/> is where libtorch trains:
/// <see cref="TorchDevice.Cuda"/> fails when libtorch sees no GPU (callers that want a CPU fallback pass
/// <see cref="TorchDevice.Auto"/> or check <see cref="TorchRuntime.CudaAvailable"/> first).
/// </summary>
public sealed record TrainingInputs(
    string IndexDirectory,
    string? QueriesPath,
    string? QrelsPath,
    string? TeacherPath,
    string OutputDirectory,
    bool Resume = false,
    int Threads = 0,
    TorchDevice Device = TorchDevice.Cpu);
