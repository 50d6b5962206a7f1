using System.Security.Cryptography;
using System.Text;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search;
using SearchRerank.Train.Checkpoints;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// What every stage of one run shares: the recipe and inputs, the index, the pair encoder, the query split and its
/// validator, the model, the log, the checkpoints (and the one being resumed), and progress reporting. Opening it
/// reads and checks everything a stage could trip over later, so a bad input fails before any training.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private const int ValidationBatch = 32;

    private TrainingSession(TrainingRecipe recipe, TrainingInputs inputs, IProgress<TrainProgress>? progress, CancellationToken cancellation)
    {
        Recipe = recipe;
        Inputs = inputs;
        this.progress = progress;
        Cancellation = cancellation;
        Checkpoints = new TrainingCheckpoints(Path.Combine(inputs.OutputDirectory, Trainer.CheckpointFolder), Fingerprint(recipe, inputs));
    }

    private readonly IProgress<TrainProgress>? progress;

    public TrainingRecipe Recipe { get; }

    public TrainingInputs Inputs { get; }

    public CancellationToken Cancellation { get; }

    public TrainingCheckpoints Checkpoints { get; }

    /// <summary>The checkpoint this run continues from, or null for a fresh run.</summary>
    public ResumePoint? Resumed { get; private set; }

    /// <summary>The checkpoint this run continues from when it was taken inside stage <paramref name="stage"/>, else null.</summary>
    public ResumePoint? ResumedInside(int stage) => Resumed is { } r && r.State.Stage == stage ? r : null;

    public Searcher Searcher { get; private set; } = null!;

    public PairEncoder Encoder { get; private set; } = null!;

    public BertConfig Config { get; private set; } = null!;

    public IReadOnlyDictionary<string, Topic> Queries { get; private set; } = null!;

    public Qrels Qrels { get; private set; } = null!;

    public QuerySplit Split { get; private set; } = null!;

    /// <summary>Null when the recipe holds no query out.</summary>
    public Validator? Validator { get; private set; }

    public BertForSequenceClassification Model { get; private set; } = null!;

    public TrainingLog Log { get; private set; } = null!;

    /// <summary>nDCG@10 of the last validation (shown in progress; kept across a resume).</summary>
    public double? LastNdcg { get; set; }

    public static TrainingSession Open(TrainingRecipe recipe, TrainingInputs inputs, IProgress<TrainProgress>? progress, CancellationToken cancellation)
    {
        var session = new TrainingSession(recipe, inputs, progress, cancellation);
        try
        {
            session.Load();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private void Load()
    {
        Resumed = Checkpoints.Resume(Inputs);
        if (Inputs.Threads > 0)
            TorchRuntime.SetThreads(Inputs.Threads);
        var device = TorchRuntime.Resolve(Inputs.Device);

        Searcher = Searcher.Open(Inputs.IndexDirectory);
        var tokenizer = StartingModel.Tokenizer(Recipe.Model);
        Config = StartingModel.Config(Recipe.Model, tokenizer);
        var searcher = Searcher;
        Encoder = new PairEncoder(tokenizer, id => searcher.GetDocument(id) is { } d ? (d.Title, d.Text) : null, Config.ExactMatch);

        Queries = Inputs.QueriesPath is null ? new Dictionary<string, Topic>() : ReadQueries(Inputs.QueriesPath);
        Qrels = Inputs.QrelsPath is null ? new Qrels([]) : QrelsReader.Read(Inputs.QrelsPath);
        Split = Inputs.QrelsPath is null ? QuerySplit.Unlabelled : QuerySplit.Create(Recipe, Inputs, Queries, Qrels, Searcher);
        Report("mining", 0, 0, 0, 0, 0, null);
        Validator = Split.Validator(Searcher, Qrels, Recipe.Validation, Cancellation);

        // Dropout's generator; a resumed run restores the checkpoint's state instead (ResumePoint.Restore).
        TorchRuntime.Seed(Recipe.Seed);
        Model = StartingModel.Create(Recipe.Model, Config, Recipe.Seed, device);
        Directory.CreateDirectory(Inputs.OutputDirectory);
        Log = new TrainingLog(Path.Combine(Inputs.OutputDirectory, Trainer.LogFile), Resumed?.State.LogBytes ?? 0);
        if (Resumed is null && Split.Validation.Count > 0)
            Log.Split(Split.Training.Count, Split.Validation.Count, Split.ValidationSharingATrainingPositive(Qrels));
        if (Resumed is not null)
        {
            Resumed.RestoreWeights(Model);
            LastNdcg = Resumed.State.LastNdcg >= 0 ? Resumed.State.LastNdcg : null;
        }
    }

    /// <summary>The model's logits for a validation query's candidates (eval mode, title + text documents).</summary>
    public float[] Score(ValidationQuery query)
    {
        int maxLength = Recipe.Stages.Max(s => s.MaxLength);
        var scores = new float[query.Candidates.Count];
        for (int start = 0; start < scores.Length; start += ValidationBatch)
        {
            int n = Math.Min(ValidationBatch, scores.Length - start);
            var pairs = query.Candidates.Skip(start).Take(n).Select(c => (query.Text, c.DocId, false)).ToArray();
            Model.Score(Encoder.Batch(pairs, maxLength)).CopyTo(scores, start);
        }
        return scores;
    }

    public static IReadOnlyDictionary<string, Topic> ReadQueries(string path)
    {
        var queries = new Dictionary<string, Topic>(StringComparer.Ordinal);
        foreach (var query in QueriesReader.Read(path))
            queries.TryAdd(query.Id, query);
        return queries;
    }

    public void Report(string phase, int stage, long step, long total, double loss, double pairsPerSecond, TimeSpan? remaining) =>
        this.progress?.Report(new TrainProgress(phase, Recipe.Stages[stage].Name, stage, Recipe.Stages.Count, step, total, loss, pairsPerSecond, remaining, LastNdcg));

    public void Dispose()
    {
        Log?.Dispose();
        Model?.Dispose();
        Searcher?.Dispose();
    }

    /// <summary>The recipe text, seed and input paths: a resume with anything else is refused.</summary>
    private static string Fingerprint(TrainingRecipe recipe, TrainingInputs inputs)
    {
        var text = new StringBuilder();
        text.Append(File.ReadAllText(recipe.Path)).Append('\n').Append(recipe.Seed).Append('\n');
        foreach (var path in new[] { inputs.IndexDirectory, inputs.QueriesPath ?? "", inputs.QrelsPath ?? "", inputs.TeacherPath ?? "" })
            text.Append(Path.GetFullPath(path.Length == 0 ? "." : path)).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
