using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SearchRerank.Evaluation;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Train.Checkpoints;
using SearchRerank.Train.Model;
using SearchRerank.Train.Native;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;
using SearchRerank.Train.Validation;
using SearchRerank.Core;

namespace SearchRerank.Train;

/// <summary>
/// Runs a <see cref="TrainingRecipe"/>: stages in order, each starting from the previous stage's (best) weights,
/// validation on held-out training queries with best-checkpoint selection and optional early stopping, crash-safe
/// checkpoints from which <see cref="TrainingInputs.Resume"/> continues to bit-identical weights, and finally the
/// model folder (see <see cref="ModelFolder"/>). Deterministic for a given seed on the CPU.
/// </summary>
public sealed class Trainer
{
    public const string LogFile = "train_log.jsonl";
    public const string CheckpointFolder = "checkpoints";
    private const string BestWeightsFile = "best.safetensors";
    private const int ValidationBatch = 32;

    private readonly TrainingRecipe _recipe;
    private readonly TrainingInputs _inputs;
    private readonly IProgress<TrainProgress>? _progress;
    private readonly CancellationToken _cancellation;
    private readonly CheckpointStore _checkpoints;
    private readonly string _fingerprint;
    private TrainingLog _log = null!;
    private PairEncoder _encoder = null!;
    private Validator? _validator;
    private double? _lastNdcg;
    private Qrels _qrels = null!;
    private HashSet<string> _validationIds = [];

    private Trainer(TrainingRecipe recipe, TrainingInputs inputs, IProgress<TrainProgress>? progress, CancellationToken cancellation)
    {
        _recipe = recipe;
        _inputs = inputs;
        _progress = progress;
        _cancellation = cancellation;
        _checkpoints = new CheckpointStore(Path.Combine(inputs.OutputDirectory, CheckpointFolder));
        _fingerprint = Fingerprint(recipe, inputs);
    }

    /// <summary>Trains, validates and writes the model folder; throws <see cref="TrainingException"/> on bad data or a non-finite loss.</summary>
    public static TrainingOutcome Run(TrainingRecipe recipe, TrainingInputs inputs, IProgress<TrainProgress>? progress = null, CancellationToken cancellationToken = default)
        => new Trainer(recipe, inputs, progress, cancellationToken).Run();

    private TrainingOutcome Run()
    {
        CheckInputs();
        string? resumeFrom = _checkpoints.Latest();
        if (resumeFrom is not null && !_inputs.Resume)
            throw new TrainingException($"{_inputs.OutputDirectory} already holds a training checkpoint; pass --resume to continue it or choose another output folder");
        CheckpointState? resumed = resumeFrom is null ? null : CheckpointStore.ReadState(resumeFrom);
        if (resumed is not null && resumed.RecipeFingerprint != _fingerprint)
            throw new TrainingException($"{resumeFrom}: the checkpoint was made with a different recipe or different inputs; resume needs the same ones");
        if (_inputs.Threads > 0)
            TorchModel.SetThreadCount(_inputs.Threads);

        using var searcher = Searcher.Open(_inputs.IndexDirectory);
        var tokenizer = LoadTokenizer(_recipe.Model.Tokenizer);
        var config = LoadConfig(tokenizer);
        _encoder = new PairEncoder(tokenizer, id => searcher.GetDocument(id) is { } d ? (d.Title, d.Text) : null, config.ExactMatch);

        var queries = ReadQueries(_inputs.QueriesPath);
        var qrels = _qrels = QrelsReader.Read(_inputs.QrelsPath);
        var (training, validation) = SplitQueries(queries, qrels, searcher);
        _validationIds = validation.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        Report("mining", 0, 0, 0, 0, 0, null);
        _validator = validation.Count == 0 ? null : new Validator(MineValidation(searcher, validation), qrels);

        using var model = TorchModel.Create(config, unchecked((ulong)_recipe.Seed), _inputs.Device);
        if (_recipe.Model.Init is { } init)
            LoadInitialWeights(model, init);

        Directory.CreateDirectory(_inputs.OutputDirectory);
        _log = new TrainingLog(Path.Combine(_inputs.OutputDirectory, LogFile), resumed?.LogBytes ?? 0);
        using (_log)
        {
            Dictionary<string, NamedTensor>? best = null;
            if (resumed is not null)
            {
                model.SetParameters(SafeTensors.Read(Path.Combine(resumeFrom!, CheckpointStore.WeightsFile)), resumeFrom!);
                string bestPath = Path.Combine(resumeFrom!, BestWeightsFile);
                if (File.Exists(bestPath))
                    best = new Dictionary<string, NamedTensor>(SafeTensors.Read(bestPath), StringComparer.Ordinal);
                _lastNdcg = resumed.LastNdcg >= 0 ? resumed.LastNdcg : null;
            }

            long totalSteps = 0;
            for (int s = resumed?.Stage ?? 0; s < _recipe.Stages.Count; s++)
            {
                var state = resumed is not null && resumed.Stage == s ? resumed : null;
                totalSteps += RunStage(s, model, searcher, queries, training, state, ref best);
                best = null;
            }

            Report("exporting", _recipe.Stages.Count - 1, 0, 0, 0, 0, null);
            FusionResult? fusion = null;
            double? ndcg = null;
            if (_validator is not null)
            {
                var result = _validator.Evaluate(q => Score(model, q), _cancellation);
                fusion = _validator.TuneFusion(result);
                ndcg = result.ModelNdcg;
                _log.Fusion(fusion);
            }
            var weights = model.GetParameters();
            RequireFinite(weights, "final weights");
            ModelFolder.Write(_inputs.OutputDirectory, config, weights, _recipe.Model.Tokenizer, fusion);
            return new TrainingOutcome(_inputs.OutputDirectory, totalSteps, ndcg, fusion);
        }
    }

    /// <summary>Runs one stage (or its remainder after a resume); returns the optimizer steps the stage took (fewer than planned after an early stop).</summary>
    private long RunStage(int index, TorchModel model, Searcher searcher, IReadOnlyDictionary<string, Query> queries,
        IReadOnlyList<Query> training, CheckpointState? resumed, ref Dictionary<string, NamedTensor>? best)
    {
        var stage = _recipe.Stages[index];
        var sampler = BuildSampler(index, stage, searcher, queries, training);
        long stepsPerEpoch = Math.Max(1, sampler.GroupsPerEpoch / ((long)stage.Batch * stage.GradAccumulation));
        long total = stage.Steps > 0 ? stage.Steps : stage.Epochs * stepsPerEpoch;
        var options = new TrainerOptions
        {
            LearningRate = stage.LearningRate,
            WeightDecay = stage.WeightDecay,
            WarmupSteps = stage.Warmup,
            TotalSteps = total,
            AccumulationSteps = stage.GradAccumulation,
            MaxGradNorm = stage.ClipNorm,
            Optimizer = OptimizerKind.AdamW,
            Schedule = ScheduleKind.Linear,
            Dropout = true,
        };
        using var trainer = TorchTrainer.Create(model, options);
        long step = 0;
        double bestNdcg = -1;
        long bestStep = 0;
        int sinceBest = 0;
        if (resumed is not null)
        {
            // The engine state carries the AdamW moments and the RNG that dropout draws from.
            trainer.Load(Path.Combine(_checkpoints.Latest()!, CheckpointStore.TrainerFile));
            if (resumed.StageDone)
                return resumed.Step;
            (step, bestNdcg, bestStep, sinceBest) = (resumed.Step, resumed.BestNdcg, resumed.BestStep, resumed.SinceBest);
        }

        var curriculum = stage.Curriculum is { } c ? new Curriculum(c.Heuristic, c.Steps) : null;
        var kind = LossOf(stage.Objective);
        bool textOnly = stage.Data.Source == DataSource.Weak;
        var clock = Stopwatch.StartNew();
        double secondsPerStep = 0;
        bool stopEarly = false;
        while (step < total && !stopEarly)
        {
            _cancellation.ThrowIfCancellationRequested();
            long started = clock.ElapsedTicks;
            double loss = 0;
            int pairs = 0;
            for (int micro = 0; micro < stage.GradAccumulation; micro++)
            {
                long position = (step * stage.GradAccumulation + micro) * stage.Batch;
                var groups = Enumerable.Range(0, stage.Batch).Select(g => sampler.Sample(position + g)).ToArray();
                var batch = _encoder.Batch(groups.SelectMany(g => g.DocIds.Select(d => (g.Query, d))).ToArray(), stage.MaxLength, textOnly);
                var weights = curriculum is null ? null : groups.Select(g => (float)curriculum.Weight(g.Difficulty, step)).ToArray();
                var objective = new Native.Objective(kind, stage.GroupSize, groups.SelectMany(g => g.Labels).ToArray(), weights);
                loss += StepOrThrow(trainer, batch, objective, stage, step, total) / stage.GradAccumulation;
                pairs += batch.Size;
            }
            step++;
            double seconds = (clock.ElapsedTicks - started) / (double)Stopwatch.Frequency;
            secondsPerStep = secondsPerStep == 0 ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
            _log.Step(stage.Name, step, total, pairs, loss, trainer.LearningRate, trainer.LastGradNorm, pairs / Math.Max(seconds, 1e-9));
            Report("training", index, step, total, loss, pairs / Math.Max(seconds, 1e-9), TimeSpan.FromSeconds(secondsPerStep * (total - step)));

            bool validate = _validator is not null && (step == total || stage.ValidationInterval > 0 && step % stage.ValidationInterval == 0);
            if (validate)
            {
                Report("validating", index, step, total, loss, 0, null);
                double ndcg = Validate(model);
                _log.Validation(stage.Name, step, ndcg, _validator!.FirstStageNdcg, ndcg > bestNdcg);
                if (ndcg > bestNdcg)
                {
                    (bestNdcg, bestStep, sinceBest) = (ndcg, step, 0);
                    best = model.GetParameters();
                    RequireFinite(best, $"stage {stage.Name} step {step}");
                }
                else if (++sinceBest >= _recipe.Validation.Patience && _recipe.Validation.Patience > 0)
                {
                    stopEarly = true;
                }
            }
            if (step == total || stopEarly)
                break;
            if (validate || step % _recipe.CheckpointInterval == 0)
                Checkpoint(index, step, false, bestNdcg, bestStep, sinceBest, model, trainer, best);
        }

        // The next stage (and the exported model) starts from this stage's best validated weights.
        if (best is not null)
            model.SetParameters(best, $"stage {stage.Name} best weights (step {bestStep})");
        Checkpoint(index, step, true, bestNdcg, bestStep, sinceBest, model, trainer, null);
        return step;
    }

    private double StepOrThrow(TorchTrainer trainer, EncodedBatch batch, Native.Objective objective, StageSpec stage, long step, long total)
    {
        double loss;
        try
        {
            loss = trainer.Step(batch, objective);
        }
        catch (TrainerException ex) when (ex.Code == TrainerErrorCode.NonFinite)
        {
            throw NonFinite(stage, step, ex.Message, ex);
        }
        if (!double.IsFinite(loss))
            throw NonFinite(stage, step, $"loss is {loss}", null);
        return loss;
    }

    private TrainingException NonFinite(StageSpec stage, long step, string detail, Exception? inner)
    {
        string last = _checkpoints.Latest() is { } folder ? $"the last checkpoint ({Path.GetFileName(folder)}, stage {CheckpointStore.ReadState(folder).Stage} step {CheckpointStore.ReadState(folder).Step}) is intact" : "no checkpoint was written yet";
        string message = $"stage '{stage.Name}' step {step + 1}: non-finite training loss ({detail}); training stopped, nothing was saved from this step and {last}. Lower the stage's lr or raise warmup.";
        return inner is null ? new TrainingException(message) : new TrainingException(message, inner);
    }

    private void Checkpoint(int stage, long step, bool done, double bestNdcg, long bestStep, int sinceBest, TorchModel model, TorchTrainer trainer, Dictionary<string, NamedTensor>? best)
    {
        var weights = model.GetParameters();
        RequireFinite(weights, $"checkpoint of stage {_recipe.Stages[stage].Name} step {step}");
        _log.Flush();
        var state = new CheckpointState(_fingerprint, stage, step, done, bestNdcg, bestStep, sinceBest, _lastNdcg ?? -1, _log.Length);
        _checkpoints.Save(state, folder =>
        {
            SafeTensors.Write(Path.Combine(folder, CheckpointStore.WeightsFile), weights);
            if (best is not null)
                SafeTensors.Write(Path.Combine(folder, BestWeightsFile), best);
            trainer.Save(Path.Combine(folder, CheckpointStore.TrainerFile));
        });
    }

    private double Validate(TorchModel model)
    {
        var result = _validator!.Evaluate(q => Score(model, q), _cancellation);
        _lastNdcg = result.ModelNdcg;
        return result.ModelNdcg;
    }

    /// <summary>The model's logits for a validation query's candidates (eval mode, title + text documents).</summary>
    private float[] Score(TorchModel model, ValidationQuery query)
    {
        int maxLength = _recipe.Stages.Max(s => s.MaxLength);
        var scores = new float[query.Candidates.Count];
        for (int start = 0; start < scores.Length; start += ValidationBatch)
        {
            int n = Math.Min(ValidationBatch, scores.Length - start);
            var pairs = query.Candidates.Skip(start).Take(n).Select(c => (query.Text, c.DocId)).ToArray();
            model.Forward(_encoder.Batch(pairs, maxLength)).CopyTo(scores, start);
        }
        return scores;
    }

    private IGroupSampler BuildSampler(int index, StageSpec stage, Searcher searcher, IReadOnlyDictionary<string, Query> queries, IReadOnlyList<Query> training)
    {
        Report("mining", index, 0, 0, 0, 0, null);
        long seed = _recipe.Seed + 1_000_003L * index;
        var stageQueries = stage.Data.Queries is { } qp ? ReadQueries(qp) : queries;
        var miner = new CandidateMiner(searcher.Search);
        switch (stage.Data.Source)
        {
            case DataSource.Weak:
            {
                var documents = CorpusReader.Read(stage.Data.Corpus!).Where(d => d.Title.Length > 0).ToArray();
                var absent = documents.Where(d => searcher.GetDocument(d.Id) is null).Select(d => d.Id).ToArray();
                if (absent.Length > 0)
                    throw new TrainingException($"{stage.Data.Corpus}: {absent.Length} documents are not in the index {_inputs.IndexDirectory}, e.g. {string.Join(", ", absent.Take(5))}; weak supervision needs the corpus the index was built from");
                var picked = Cap(documents, stage.Data.MaxQueries, seed);
                var pool = miner.FromTitles(picked, stage.Depth, _cancellation);
                return new ContrastiveSampler(pool, stage.GroupSize, seed, Curriculum(stage));
            }
            case DataSource.Teacher:
            {
                string teacherPath = stage.Data.Teacher ?? _inputs.TeacherPath!;
                var run = RunReader.Read(teacherPath);
                var lists = TeacherLists.From(run, Cap(training.Where(q => stageQueries.ContainsKey(q.Id)).ToArray(), stage.Data.MaxQueries, seed), stage.GroupSize, out _);
                var absent = lists.SelectMany(l => l.DocIds).Distinct(StringComparer.Ordinal).Where(d => searcher.GetDocument(d) is null).ToArray();
                if (absent.Length > 0)
                    throw new TrainingException($"{teacherPath}: {absent.Length} documents of the teacher run are not in the index {_inputs.IndexDirectory}, e.g. {string.Join(", ", absent.Take(5))}");
                if (lists.Count == 0)
                    throw new TrainingException($"{teacherPath}: the teacher run answers none of the {training.Count} training queries (stage '{stage.Name}')");
                return new TeacherSampler(lists, stage.GroupSize, seed, useScores: stage.Objective != TrainingObjective.RankNet);
            }
            default:
            {
                // A stage's own qrels/queries replace the run's; validation queries stay out of training either way.
                var qrels = _qrels;
                IReadOnlyList<Query> stageTraining = training;
                if (stage.Data.Qrels is { } path)
                {
                    qrels = QrelsReader.Read(path);
                    RequireJudgedInIndex(qrels, path, searcher);
                    stageTraining = qrels.QueryIds.Where(id => stageQueries.ContainsKey(id) && !_validationIds.Contains(id)).Select(id => stageQueries[id]).ToArray();
                }
                else if (stage.Data.Queries is not null)
                {
                    stageTraining = training.Where(q => stageQueries.ContainsKey(q.Id)).Select(q => stageQueries[q.Id]).ToArray();
                }
                var pool = miner.FromQrels(Cap(stageTraining, stage.Data.MaxQueries, seed), qrels, stage.Depth, _cancellation);
                return new ContrastiveSampler(pool, stage.GroupSize, seed, Curriculum(stage));
            }
        }
    }

    private static Curriculum? Curriculum(StageSpec stage) => stage.Curriculum is { } c ? new Curriculum(c.Heuristic, c.Steps) : null;

    /// <summary>At most <paramref name="max"/> items (0 = all), picked by seed so the choice is reproducible.</summary>
    private static IReadOnlyList<T> Cap<T>(IReadOnlyList<T> items, int max, long seed)
    {
        if (max <= 0 || items.Count <= max)
            return items;
        var picked = SplitMix64.For(seed, 17).Choose(items.Count, max);
        Array.Sort(picked);
        return picked.Select(i => items[i]).ToArray();
    }

    /// <summary>
    /// Splits the judged training queries: a seeded random <see cref="ValidationSpec.HeldOut"/> of them is held out
    /// for validation and never trained on (in any stage); the rest train.
    /// </summary>
    private (IReadOnlyList<Query> Training, IReadOnlyList<Query> Validation) SplitQueries(IReadOnlyDictionary<string, Query> queries, Qrels qrels, Searcher searcher)
    {
        RequireJudgedInIndex(qrels, _inputs.QrelsPath, searcher);
        var judged = qrels.QueryIds.Where(id => qrels.RelevantCount(id) > 0).Order(StringComparer.Ordinal).ToArray();
        var withoutText = judged.Where(id => !queries.ContainsKey(id)).ToArray();
        if (withoutText.Length > 0)
            throw new TrainingException($"{_inputs.QrelsPath}: {withoutText.Length} judged queries have no text in {_inputs.QueriesPath}, e.g. {string.Join(", ", withoutText.Take(5))}");
        if (judged.Length == 0)
            throw new TrainingException($"{_inputs.QrelsPath}: no query has a relevant (grade ≥ 1) judgment");
        SplitMix64.For(_recipe.Seed, 0x5A11D).Shuffle(judged);
        int held = _recipe.Validation.HeldOut(judged.Length);
        if (held >= judged.Length && _recipe.Stages.Any(s => s.Data.Source != DataSource.Weak))
            throw new TrainingException($"{_recipe.Path}: validation_queries holds out all {judged.Length} judged queries; nothing is left to train on");
        var validation = judged.Take(held).Order(StringComparer.Ordinal).Select(id => queries[id]).ToArray();
        var training = judged.Skip(held).Order(StringComparer.Ordinal).Select(id => queries[id]).ToArray();
        return (training, validation);
    }

    private IReadOnlyList<ValidationQuery> MineValidation(Searcher searcher, IReadOnlyList<Query> validation)
    {
        var result = new ValidationQuery[validation.Count];
        Parallel.For(0, validation.Count, new ParallelOptions { CancellationToken = _cancellation }, i =>
        {
            var hits = searcher.Search(validation[i].Text, _recipe.Validation.Depth);
            result[i] = new ValidationQuery(validation[i].Id, validation[i].Text, hits.Select((h, r) => new Candidate(h.DocId, r + 1, h.Score)).ToArray());
        });
        return result;
    }

    private void RequireJudgedInIndex(Qrels qrels, string path, Searcher searcher)
    {
        var absent = qrels.QueryIds.SelectMany(q => qrels.Judgments(q).Keys).Distinct(StringComparer.Ordinal)
            .Where(d => searcher.GetDocument(d) is null).Order(StringComparer.Ordinal).ToArray();
        if (absent.Length > 0)
            throw new TrainingException($"{path}: {absent.Length} judged documents are not in the index {_inputs.IndexDirectory}: {string.Join(", ", absent.Take(10))}{(absent.Length > 10 ? ", …" : "")}; was the index built from the same corpus?");
    }

    private void CheckInputs()
    {
        if (!Directory.Exists(_inputs.IndexDirectory))
            throw new TrainingException($"{_inputs.IndexDirectory}: index folder not found");
        foreach (var (path, what) in new[] { (_inputs.QueriesPath, "queries"), (_inputs.QrelsPath, "qrels") })
            if (!File.Exists(path))
                throw new TrainingException($"{path}: {what} file not found");
        if (_inputs.TeacherPath is { } teacher && !File.Exists(teacher))
            throw new TrainingException($"{teacher}: teacher run not found");
        for (int i = 0; i < _recipe.Stages.Count; i++)
        {
            var stage = _recipe.Stages[i];
            if (stage.Data.Source == DataSource.Teacher && stage.Data.Teacher is null && _inputs.TeacherPath is null)
                throw new TrainingException($"{_recipe.Path}: stages[{i}] ('{stage.Name}', objective {ObjectiveNames.Name(stage.Objective)}) distills from a teacher run: pass --teacher RUN or set stages[{i}].data.teacher");
        }
    }

    private static IReadOnlyDictionary<string, Query> ReadQueries(string path)
    {
        var queries = new Dictionary<string, Query>(StringComparer.Ordinal);
        foreach (var query in QueriesReader.Read(path))
            queries.TryAdd(query.Id, query);
        return queries;
    }

    private static BertTokenizer LoadTokenizer(string source)
    {
        if (Directory.Exists(source))
            return BertTokenizer.FromDirectory(source);
        string config = Path.Combine(Path.GetDirectoryName(source)!, "tokenizer_config.json");
        return BertTokenizer.FromVocabulary(source, File.Exists(config) ? config : null);
    }

    private BertConfig LoadConfig(BertTokenizer tokenizer)
    {
        string path = _recipe.Model.Init is { } init ? Path.Combine(init, "config.json")
            : Directory.Exists(_recipe.Model.Config) ? Path.Combine(_recipe.Model.Config!, "config.json") : _recipe.Model.Config!;
        var config = BertConfig.Read(path);
        if (_recipe.Model.ExactMatch is { } exact)
            config = config with { ExactMatch = exact };
        if (config.VocabSize < tokenizer.VocabularySize)
            throw new TrainingException($"{path}: vocab_size {config.VocabSize} is smaller than the tokenizer's {tokenizer.VocabularySize} tokens ({_recipe.Model.Tokenizer})");
        return config;
    }

    /// <summary>
    /// Copies a checkpoint's weights into the fresh model. A checkpoint without the exact-match embedding may seed a
    /// model that has one: that tensor keeps its seeded initialisation and everything else is taken over.
    /// </summary>
    private static void LoadInitialWeights(TorchModel model, string folder)
    {
        string path = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(path))
            throw new TrainingException($"{folder}: model.safetensors not found (model.init must be a Hugging Face checkpoint folder)");
        var tensors = SafeTensors.Read(path);
        var names = model.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var extra = tensors.Keys.Where(k => !names.Contains(k) && k != "bert.embeddings.position_ids").ToArray();
        if (extra.Length > 0)
            throw new TrainingException($"{path}: tensors the model does not have: {string.Join(", ", extra.Take(10))}");
        foreach (var info in model.Parameters)
        {
            if (!tensors.TryGetValue(info.Name, out var tensor))
            {
                if (info.Name == "bert.embeddings.exact_match_embeddings.weight")
                    continue;
                throw new TrainingException($"{path}: missing tensor {info.Name}");
            }
            if (!tensor.Shape.SequenceEqual(info.Shape))
                throw new TrainingException($"{path}: tensor {info.Name} has shape [{string.Join(", ", tensor.Shape)}], the model expects [{string.Join(", ", info.Shape)}]");
            model.SetParameter(info.Name, tensor.Data);
        }
    }

    private static LossKind LossOf(TrainingObjective objective) => objective switch
    {
        TrainingObjective.Bce => LossKind.BinaryCrossEntropy,
        TrainingObjective.Lce => LossKind.LocalizedContrastive,
        TrainingObjective.RankNet => LossKind.RankNet,
        TrainingObjective.ListKl => LossKind.ListwiseKl,
        TrainingObjective.MarginMse => LossKind.MarginMse,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, null),
    };

    /// <summary>NaN must never reach a saved file: a poisoned tensor stops the run before anything is written.</summary>
    private static void RequireFinite(IReadOnlyDictionary<string, NamedTensor> weights, string what)
    {
        foreach (var (name, tensor) in weights)
            foreach (float value in tensor.Data)
                if (!float.IsFinite(value))
                    throw new TrainingException($"{what}: parameter {name} holds a non-finite value ({value}); nothing was saved");
    }

    private static string Fingerprint(TrainingRecipe recipe, TrainingInputs inputs)
    {
        var text = new StringBuilder();
        text.Append(File.ReadAllText(recipe.Path)).Append('\n').Append(recipe.Seed).Append('\n');
        foreach (var path in new[] { inputs.IndexDirectory, inputs.QueriesPath, inputs.QrelsPath, inputs.TeacherPath ?? "" })
            text.Append(Path.GetFullPath(path.Length == 0 ? "." : path)).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private void Report(string phase, int stage, long step, long total, double loss, double pairsPerSecond, TimeSpan? remaining) =>
        _progress?.Report(new TrainProgress(phase, _recipe.Stages[stage].Name, stage, _recipe.Stages.Count, step, total, loss, pairsPerSecond, remaining, _lastNdcg));
}
