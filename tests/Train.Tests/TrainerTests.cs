using System.Text;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Tests.Model;
using SearchRerank.Train.Tests.Modeling;

namespace SearchRerank.Train.Tests;

/// <summary>
/// End-to-end runs of the trainer on a tiny synthetic collection (40 documents, 12 judged queries) and a tiny model
/// (1 layer, hidden 16, bert-base vocabulary): staged C→D training, kill-and-resume equality, output folder, bad input.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private static readonly string[] Words =
    [
        "protein", "cell", "gene", "virus", "cancer", "brain", "heart", "blood", "liver", "lung", "bone", "skin",
        "muscle", "insulin", "immune", "tumor", "neuron", "enzyme", "kidney", "vaccine", "diet", "sleep", "stress", "aging",
    ];

    private readonly TempDirectory dir = new();
    private readonly string index, queries, qrels, teacher, config;

    public TrainerTests()
    {
        var documents = Enumerable.Range(0, 40).Select(i => new CorpusDocument(
            $"d{i:D2}",
            $"{Words[i % Words.Length]} {Words[(i * 7 + 3) % Words.Length]} study",
            string.Join(' ', Enumerable.Range(0, 12).Select(j => Words[(i * 5 + j * j + 1) % Words.Length])))).ToArray();
        this.index = dir.File("index");
        using (var writer = Indexer.Open(this.index))
            writer.Write(documents);

        var queries = new StringBuilder();
        var qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (int q = 0; q < 12; q++)
        {
            var relevant = documents[q * 3];
            queries.Append($"{{\"_id\": \"q{q}\", \"text\": \"{relevant.Title.Split(' ')[0]} {relevant.Text.Split(' ')[2]}\"}}\n");
            qrels.Append($"q{q}\t{relevant.Id}\t1\n");
            if (q % 3 == 0)
                qrels.Append($"q{q}\t{documents[q * 3 + 1].Id}\t2\n");
        }
        this.queries = dir.File("queries.jsonl");
        File.WriteAllText(this.queries, queries.ToString());
        this.qrels = dir.File("qrels.tsv");
        File.WriteAllText(this.qrels, qrels.ToString());

        // The teacher is BM25 itself: any ranker's TREC run will do for distillation.
        using (var searcher = Searcher.Open(this.index))
            RunWriter.Write(searcher.SearchAll(QueriesReader.Read(this.queries), 10), this.teacher = dir.File("teacher.run"), "bm25");

        this.config = dir.File("config.json");
        new BertConfig { HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 64 }.Write(this.config);
    }

    public void Dispose() => dir.Dispose();

    private string Recipe(string stages, string name = "recipe.json", string extra = "")
    {
        string vocab = Path.Combine(ReferenceFiles.TinyModel, "vocab.txt").Replace("\\", "/");
        string path = dir.File(name);
        File.WriteAllText(path, $$"""
            { "seed": 3, "model": { "config": "config.json", "tokenizer": "{{vocab}}", "exact_match": true },
              "validation_queries": 3, "validation_depth": 10, "checkpoint_interval": 2, {{extra}}
              "stages": [ {{stages}} ] }
            """);
        return path;
    }

    private const string TwoStages = """
        { "name": "c", "objective": "lce", "steps": 4, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-3, "validation_interval": 3,
          "curriculum": { "heuristic": "reciprocal_rank", "steps": 3 } },
        { "name": "d", "objective": "ranknet", "steps": 4, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-3 }
        """;

    private TrainingInputs Inputs(string output, bool resume = false, string? teacher = "") =>
        new(this.index, this.queries, this.qrels, teacher == "" ? this.teacher : teacher, dir.File(output), resume);

    /// <summary>Runs until the training reports <paramref name="stage"/>/<paramref name="step"/>, then cancels (a kill between steps).</summary>
    private static void RunAndKill(TrainingRecipe recipe, TrainingInputs inputs, string stage, long step)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new Sync(p =>
        {
            if (p.Phase == "training" && p.Stage == stage && p.Step == step)
                cancellation.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Run(recipe, inputs, progress, cancellation.Token));
    }

    [Fact]
    public void KilledAndResumedRunsEndWithTheWeightsOfAnUninterruptedRun()
    {
        var recipe = RecipeReader.Read(Recipe(TwoStages));
        var straight = Trainer.Run(recipe, Inputs("straight"));
        Assert.Equal(8, straight.TotalSteps);

        // Killed mid-stage (after the checkpoint at d/2, so d/3 is replayed) and at a stage boundary.
        foreach (var (stage, step) in new[] { ("d", 3L), ("c", 4L), ("c", 1L) })
        {
            string output = $"killed-{stage}{step}";
            RunAndKill(recipe, Inputs(output), stage, step);
            Assert.False(File.Exists(Path.Combine(dir.File(output), ModelFolder.FusionFile)));
            var resumed = Trainer.Run(recipe, Inputs(output, resume: true));
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory, "model.safetensors")));
            Assert.Equal(File.ReadAllText(Path.Combine(straight.ModelDirectory, ModelFolder.FusionFile)), File.ReadAllText(Path.Combine(resumed.ModelDirectory, ModelFolder.FusionFile)));
            Assert.Equal(StepLosses(straight.ModelDirectory), StepLosses(resumed.ModelDirectory));
        }
    }

    private static string[] StepLosses(string directory) =>
        File.ReadLines(Path.Combine(directory, Trainer.LogFile))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Select(e => e.GetProperty("type").GetString() == "step" ? $"{e.GetProperty("stage")}/{e.GetProperty("step")}:{e.GetProperty("loss")}" : e.GetProperty("type").GetString()!)
            .ToArray();

    [Fact]
    public void OutputFolderLoadsInTheCrossEncoderAndAgreesWithTheTrainedWeights()
    {
        var outcome = Trainer.Run(RecipeReader.Read(Recipe(TwoStages)), Inputs("model"));
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "model.onnx", ModelFolder.FusionFile, Trainer.LogFile })
            Assert.True(File.Exists(Path.Combine(outcome.ModelDirectory, file)), file);
        Assert.True(BertConfig.Read(Path.Combine(outcome.ModelDirectory, "config.json")).ExactMatch);
        Assert.NotNull(outcome.Fusion);
        Assert.InRange(outcome.Fusion!.Alpha, 0, 1);
        Assert.Contains("\"normalization\": \"zscore\"", File.ReadAllText(Path.Combine(outcome.ModelDirectory, ModelFolder.FusionFile)));
        // The training collection travels with α, so re-ranking another collection uses the off-domain weight.
        Assert.NotNull(SearchRerank.Rerank.ScoreFusion.TrainedOn(outcome.ModelDirectory));

        using var encoder = CrossEncoder.Load(outcome.ModelDirectory, new CrossEncoderOptions { MaxLength = 48 });
        Assert.True(encoder.UsesExactMatch);
        var encodings = new[] { ("protein cell", "protein study cell gene"), ("virus", "bone skin muscle virus heart") }
            .Select(p => encoder.Tokenizer.EncodePair(p.Item1, p.Item2, 48)).ToArray();
        var onnx = encoder.Predict(encodings);

        // The same pairs through TorchSharp with the saved weights: the ONNX export is the trained model.
        using var torch = BertForSequenceClassification.Create(BertConfig.Read(Path.Combine(outcome.ModelDirectory, "config.json")), seed: 1);
        torch.LoadWeights(SafeTensors.Read(Path.Combine(outcome.ModelDirectory, "model.safetensors")), "trained");
        var batch = EncodedBatch.Pad(encodings.Select(e => e.InputIds).ToArray(), encodings.Select(e => e.TokenTypeIds).ToArray(),
            encodings.Select(e => ExactMatch.Flags(e, encoder.Tokenizer)).ToArray());
        var expected = torch.Score(batch);
        Assert.Equal(expected.Length, onnx.Length);
        for (int i = 0; i < onnx.Length; i++)
            Assert.Equal(expected[i], onnx[i], 1e-4f);

        var log = File.ReadAllLines(Path.Combine(outcome.ModelDirectory, Trainer.LogFile));
        Assert.Equal(8, log.Count(l => l.Contains("\"type\":\"step\"")));
        // Both stages train 2 groups of 4 pairs per step: the learning curve's x axis adds these up.
        Assert.All(log.Where(l => l.Contains("\"type\":\"step\"")), l => Assert.Contains("\"pairs\":8,", l));
        Assert.Equal(3, log.Count(l => l.Contains("\"type\":\"validation\"")));
        Assert.Single(log, l => l.Contains("\"type\":\"fusion\""));
        Assert.StartsWith("{\"type\":\"split\",", log[0]);
        Assert.Contains("\"validation_queries\":3,", log[0]);
    }

    [Fact]
    public void EarlyStoppingEndsTheStageWhenValidationStopsImproving()
    {
        // lr 1e-9 leaves the ranking as it is: the second validation cannot beat the first, patience 1 stops there.
        var recipe = RecipeReader.Read(Recipe(
            """{ "name": "c", "objective": "lce", "steps": 6, "batch": 1, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-9, "validation_interval": 1 }""",
            extra: "\"patience\": 1,"));
        var outcome = Trainer.Run(recipe, Inputs("early"));
        Assert.Equal(2, outcome.TotalSteps);
        var log = File.ReadAllLines(Path.Combine(outcome.ModelDirectory, Trainer.LogFile));
        Assert.Equal(2, log.Count(l => l.Contains("\"type\":\"step\"")));
        Assert.Equal(2, log.Count(l => l.Contains("\"type\":\"validation\"")));
        Assert.Contains("\"best\":true", log.First(l => l.Contains("\"type\":\"validation\"")));
    }

    [Fact]
    public void ExistingCheckpointWithoutResumeIsRefused()
    {
        var recipe = RecipeReader.Read(Recipe(TwoStages));
        RunAndKill(recipe, Inputs("busy"), "d", 3);
        var error = Assert.Throws<TrainingException>(() => Trainer.Run(recipe, Inputs("busy")));
        Assert.Contains("--resume", error.Message);
        var changed = RecipeReader.Read(Recipe(TwoStages.Replace("\"lr\": 1e-3", "\"lr\": 2e-3"), "other.json"));
        Assert.Contains("different recipe", Assert.Throws<TrainingException>(() => Trainer.Run(changed, Inputs("busy", resume: true))).Message);
    }

    [Fact]
    public void DistillationWithoutTeacherNamesTheStageAndTheOption()
    {
        var recipe = RecipeReader.Read(Recipe(TwoStages));
        var error = Assert.Throws<TrainingException>(() => Trainer.Run(recipe, Inputs("noteacher", teacher: null)));
        Assert.Contains("stages[1] ('d', objective ranknet)", error.Message);
        Assert.Contains("--teacher", error.Message);
    }

    [Fact]
    public void QrelsNamingDocumentsAbsentFromTheIndexSayWhichAndHowMany()
    {
        File.AppendAllText(this.qrels, "q1\tghost-1\t1\nq2\tghost-2\t1\n");
        var recipe = RecipeReader.Read(Recipe(TwoStages));
        var error = Assert.Throws<TrainingException>(() => Trainer.Run(recipe, Inputs("ghosts")));
        Assert.Contains($"{this.qrels}: 2 judged documents are not in the index", error.Message);
        Assert.Contains("ghost-1, ghost-2", error.Message);
    }

    [Fact]
    public void NonFiniteLossStopsBeforeAnythingIsSaved()
    {
        // Teacher score margins overflow float32: MarginMSE becomes infinite at the first step.
        var run = new Run("huge");
        foreach (var q in Enumerable.Range(0, 12))
            for (int d = 0; d < 4; d++)
                run.Add($"q{q}", $"d{(q * 3 + d) % 40:D2}", d % 2 == 0 ? 3e38 : -3e38);
        string teacher = dir.File("huge.run");
        RunWriter.Write(run, teacher, "huge");
        var recipe = RecipeReader.Read(Recipe("""{ "name": "m", "objective": "marginmse", "steps": 3, "batch": 2, "group_size": 4, "max_length": 48, "lr": 1e-3 }"""));
        var error = Assert.Throws<TrainingException>(() => Trainer.Run(recipe, Inputs("nan", teacher: teacher)));
        Assert.Contains("stage 'm' step 1: non-finite training loss", error.Message);
        Assert.False(File.Exists(Path.Combine(dir.File("nan"), "model.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(dir.File("nan"), Trainer.CheckpointFolder)));
    }

    /// <summary>The test index's 40 documents as a BEIR corpus file, the source of title queries.</summary>
    private string WriteIndexedCorpus()
    {
        string corpus = dir.File("corpus.jsonl");
        using var searcher = Searcher.Open(this.index);
        var lines = Enumerable.Range(0, 40).Select(i => searcher.GetDocument($"d{i:D2}")!)
            .Select(d => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = d.Id, ["title"] = d.Title, ["text"] = d.Text }));
        File.WriteAllLines(corpus, lines);
        return corpus;
    }

    [Fact]
    public void WeakSupervisionStageTrainsFromTitles()
    {
        string corpus = WriteIndexedCorpus();
        var recipe = RecipeReader.Read(Recipe($$"""{ "name": "weak", "objective": "lce", "data": { "source": "weak", "corpus": "{{corpus.Replace("\\", "/")}}", "max_queries": 10 }, "steps": 3, "batch": 2, "group_size": 4, "max_length": 48, "lr": 1e-3 }"""));
        var outcome = Trainer.Run(recipe, Inputs("weak"));
        Assert.Equal(3, outcome.TotalSteps);
        Assert.True(File.Exists(Path.Combine(outcome.ModelDirectory, "model.onnx")));
    }

    [Fact]
    public void TitleQueriesMixedIntoAJudgedStageChangeWhatItLearns()
    {
        string corpus = WriteIndexedCorpus();
        string Stage(string data) => $$"""{ "name": "c", "objective": "lce", {{data}} "steps": 6, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-3 }""";
        var mixed = Trainer.Run(RecipeReader.Read(Recipe(Stage($$""" "data": { "corpus": "{{corpus.Replace("\\", "/")}}", "weak_queries": 20 },"""), "mixed.json")), Inputs("mixed"));
        var judged = Trainer.Run(RecipeReader.Read(Recipe(Stage(""), "judged.json")), Inputs("judged"));
        Assert.Equal((6, 6), (mixed.TotalSteps, judged.TotalSteps));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(mixed.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(judged.ModelDirectory, "model.safetensors")));
    }

    private const string StageC = """
        { "name": "c", "objective": "lce", "steps": 30, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 5e-3 }
        """;

    private static string SelfD(string data) =>
        $$"""{ "name": "d", "objective": "ranknet", "data": {{data}}, "steps": 4, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-3 }""";

    [Fact]
    public void SelfTeacherRanksTheTrainingQueriesAsTheStageStartModelReRanksThem()
    {
        // C alone trains the weights that stage d of C→D starts from (same seed, same stage 0).
        var start = Trainer.Run(RecipeReader.Read(Recipe(StageC, "c.json")), Inputs("c-only", teacher: null));
        double startAlpha = ScoreFusion.FromModelDirectory(start.ModelDirectory)!.Alpha;
        using var searcher = Searcher.Open(this.index);
        using var encoder = CrossEncoder.Load(start.ModelDirectory);
        var validationIds = QuerySplit.Create(RecipeReader.Read(Recipe(StageC, "c.json")), Inputs("c-only"), TrainingSession.ReadQueries(this.queries), QrelsReader.Read(this.qrels), searcher).ValidationIds;

        foreach (var (data, name) in new[] { ("""{ "teacher": "self" }""", "tuned"), ("""{ "teacher": "self", "teacher_alpha": 0.25 }""", "fixed") })
        {
            var outcome = Trainer.Run(RecipeReader.Read(Recipe(StageC + "," + SelfD(data), $"{name}.json")), Inputs(name, teacher: null));
            Assert.Equal(34, outcome.TotalSteps);
            Assert.True(File.Exists(Path.Combine(outcome.ModelDirectory, "model.onnx")));
            var line = File.ReadLines(Path.Combine(outcome.ModelDirectory, Trainer.LogFile)).Single(l => l.Contains("\"type\":\"teacher\""));
            double alpha = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("alpha").GetDouble();
            // Tuned on the validation queries, the teacher's α is the one the stage-start model folder was exported with.
            Assert.Equal(name == "tuned" ? startAlpha : 0.25, alpha);

            var teacher = RunReader.Read(Path.Combine(outcome.ModelDirectory, "teacher-d.run"));
            Assert.Equal(9, teacher.QueryIds.Count);
            Assert.Empty(teacher.QueryIds.Intersect(validationIds));
            var pipeline = new RerankPipeline(searcher, encoder, new ScoreFusion(alpha), firstStageDepth: 10);
            var reranked = pipeline.SearchAll(QueriesReader.Read(this.queries).Where(q => teacher.QueryIds.Contains(q.Id)), 10);
            foreach (string query in teacher.QueryIds)
            {
                // ONNX Runtime and libtorch agree to about 1e-6 in the logits: documents the re-ranker scores alike (the
                // collection repeats some documents) may come in either order, every other one must keep its place.
                var expected = reranked.Ranked(query);
                var actual = teacher.Ranked(query);
                var score = expected.ToDictionary(e => e.DocId, e => e.Score);
                Assert.Equal(expected.Select(e => e.DocId).Order(), actual.Select(e => e.DocId).Order());
                for (int i = 0; i < actual.Count; i++)
                {
                    Assert.Equal(score[actual[i].DocId], actual[i].Score, 1e-4);
                    Assert.Equal(expected[i].Score, score[actual[i].DocId], 1e-4);
                }
            }
        }
    }

    [Fact]
    public void ResumeInsideASelfTeacherStageReadsTheStageStartRankingBack()
    {
        var recipe = RecipeReader.Read(Recipe(StageC + "," + SelfD("""{ "teacher": "self" }""")));
        var straight = Trainer.Run(recipe, Inputs("self-straight", teacher: null));
        foreach (var (stage, step) in new[] { ("d", 3L), ("c", 4L) })
        {
            string output = $"self-killed-{stage}{step}";
            RunAndKill(recipe, Inputs(output, teacher: null), stage, step);
            string run = Path.Combine(dir.File(output), "teacher-d.run");
            if (stage == "d")
            {
                // The stage-start weights are gone inside the stage: the resume needs the ranking made from them.
                File.Move(run, run + ".away");
                var error = Assert.Throws<TrainingException>(() => Trainer.Run(recipe, Inputs(output, resume: true, teacher: null)));
                Assert.Contains($"{run}: the self-teacher run of stage 'd' is missing", error.Message);
                File.Move(run + ".away", run);
            }
            var resumed = Trainer.Run(recipe, Inputs(output, resume: true, teacher: null));
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "teacher-d.run")), File.ReadAllBytes(run));
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory, "model.safetensors")));
            Assert.Equal(StepLosses(straight.ModelDirectory), StepLosses(resumed.ModelDirectory));
        }
    }

    [Fact]
    public void FalseNegativeFilterLeavesOutNegativesAboveThePositiveAndLogsItOnceAcrossAResume()
    {
        const string stage = """{ "name": "c", "objective": "lce", "steps": 4, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10, "lr": 1e-3, "false_negatives": "skip_above_positive" }""";
        var recipe = RecipeReader.Read(Recipe(stage));
        var straight = Trainer.Run(recipe, Inputs("fn-straight", teacher: null));
        RunAndKill(recipe, Inputs("fn-killed", teacher: null), "c", 3);
        var resumed = Trainer.Run(recipe, Inputs("fn-killed", resume: true, teacher: null));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory, "model.safetensors")));

        // Expected counts from the first stage directly: each training query's top 10, judged documents aside.
        using var searcher = Searcher.Open(this.index);
        var qrels = QrelsReader.Read(this.qrels);
        var split = QuerySplit.Create(recipe, Inputs("fn-straight"), TrainingSession.ReadQueries(this.queries), qrels, searcher);
        long removed = 0, kept = 0;
        foreach (var query in split.Training)
        {
            var hits = searcher.Search(query.Text, 10).Select((h, i) => (h.DocId, Rank: i + 1)).ToArray();
            var judged = qrels.Judgments(query.Id).Where(j => j.Value >= 1).Select(j => j.Key).ToHashSet();
            int best = hits.Where(h => judged.Contains(h.DocId)).Select(h => h.Rank).DefaultIfEmpty(0).Min();
            foreach (var hit in hits.Where(h => !judged.Contains(h.DocId)))
            {
                if (best > 0 && hit.Rank < best)
                    removed++;
                else
                    kept++;
            }
        }
        Assert.True(removed > 0, "the collection should give some query a judged positive below rank 1");
        foreach (var folder in new[] { straight.ModelDirectory, resumed.ModelDirectory })
        {
            var line = Assert.Single(File.ReadLines(Path.Combine(folder, Trainer.LogFile)), l => l.Contains("\"type\":\"negatives\""));
            var logged = System.Text.Json.JsonDocument.Parse(line).RootElement;
            Assert.Equal((removed, kept), (logged.GetProperty("removed").GetInt64(), logged.GetProperty("kept").GetInt64()));
        }
    }

    private const string StageMlm = """
        { "name": "mlm", "objective": "mlm", "steps": 4, "batch": 4, "max_length": 24, "lr": 1e-3 }
        """;

    [Fact]
    public void MaskedLmThenContrastiveExportsARankerWithoutTheHead()
    {
        var outcome = Trainer.Run(RecipeReader.Read(Recipe(StageMlm + "," + StageC.Replace("\"steps\": 30", "\"steps\": 4"))), Inputs("mlm-c", teacher: null));
        Assert.Equal(8, outcome.TotalSteps);
        var weights = SafeTensors.Read(Path.Combine(outcome.ModelDirectory, "model.safetensors"));
        Assert.DoesNotContain(weights.Keys, k => k.StartsWith("cls.", StringComparison.Ordinal));
        Assert.Contains(BertParameters.ExactMatchEmbeddings, weights.Keys);
        var config = BertConfig.Read(Path.Combine(outcome.ModelDirectory, "config.json"));
        Assert.Equal(1, config.NumLabels);
        BertParameters.Check(config, weights, "exported");
        Assert.Contains("BertForSequenceClassification", File.ReadAllText(Path.Combine(outcome.ModelDirectory, "config.json")));
        using var encoder = CrossEncoder.Load(outcome.ModelDirectory);
        Assert.True(encoder.UsesExactMatch);
        Assert.Equal(2, encoder.Predict([("protein cell", "protein study cell gene"), ("virus", "bone skin muscle")]).Length);

        // The masked-LM stage trains no ranking: it is not validated (the contrastive stage is, at its end).
        var log = File.ReadAllLines(Path.Combine(outcome.ModelDirectory, Trainer.LogFile));
        Assert.Equal(4, log.Count(l => l.Contains("\"stage\":\"mlm\"") && l.Contains("\"type\":\"step\"")));
        Assert.DoesNotContain(log, l => l.Contains("\"type\":\"validation\"") && l.Contains("\"stage\":\"mlm\""));
        Assert.Single(log, l => l.Contains("\"type\":\"validation\""));
    }

    private string LabelFreeRecipe(string stage, string validation = "0")
    {
        string vocab = Path.Combine(ReferenceFiles.TinyModel, "vocab.txt").Replace("\\", "/");
        return dir.File("label-free.json", $$"""
            { "seed": 3, "model": { "config": "config.json", "tokenizer": "{{vocab}}", "exact_match": true },
              "validation_queries": {{validation}}, "stages": [ {{stage}} ] }
            """);
    }

    [Fact]
    public void ALabelFreeRecipeTrainsOnTheIndexAloneAndFusesAtTheUnvalidatedAlpha()
    {
        var recipe = RecipeReader.Read(LabelFreeRecipe(StageMlm));
        var outcome = Trainer.Run(recipe, new TrainingInputs(this.index, null, null, null, dir.File("label-free-out")));
        Assert.Null(outcome.Fusion);
        Assert.Equal(ModelFolder.UnvalidatedAlpha, ScoreFusion.FromModelDirectory(outcome.ModelDirectory)!.Alpha);
        using var encoder = CrossEncoder.Load(outcome.ModelDirectory);
        Assert.Equal(2, encoder.Predict([("protein cell", "protein study cell gene"), ("virus", "bone skin muscle")]).Length);
    }

    [Fact]
    public void ARecipeThatHoldsNothingOutExportsItsOwnFusionAlpha()
    {
        var recipe = RecipeReader.Read(LabelFreeRecipe(StageMlm, validation: "0, \"fusion_alpha\": 0.5"));
        var outcome = Trainer.Run(recipe, new TrainingInputs(this.index, null, null, null, dir.File("own-alpha-out")));
        Assert.Null(outcome.Fusion);
        Assert.Equal(0.5, ScoreFusion.FromModelDirectory(outcome.ModelDirectory)!.Alpha);
    }

    [Fact]
    public void AStageThatDoesNotValidateEndsWithItsWeightAverage()
    {
        Dictionary<string, NamedTensor> Train(string stage, string output) =>
            SafeTensors.Read(Path.Combine(Trainer.Run(RecipeReader.Read(LabelFreeRecipe(stage)), new TrainingInputs(this.index, null, null, null, dir.File(output))).ModelDirectory, "model.safetensors"))
                .ToDictionary(w => w.Key, w => w.Value);
        var plain = Train(StageMlm, "mlm-plain");
        var nearZero = Train(StageMlm.Replace("\"lr\": 1e-3", "\"lr\": 1e-3, \"ema_decay\": 1e-12"), "mlm-ema-0");
        var averaged = Train(StageMlm.Replace("\"lr\": 1e-3", "\"lr\": 1e-3, \"ema_decay\": 0.5"), "mlm-ema-half");
        foreach (var (name, tensor) in plain)
            for (int i = 0; i < tensor.Data.Length; i++)
                Assert.Equal(tensor.Data[i], nearZero[name].Data[i], 1e-5f);
        // Half of every update stays with the earlier weights: the exported layer-0 query weights are not the last step's.
        const string weight = "bert.encoder.layer.0.attention.self.query.weight";
        Assert.False(plain[weight].Data.AsSpan().SequenceEqual(averaged[weight].Data));
    }

    [Fact]
    public void WithoutQrelsStagesOnJudgedQueriesAndValidationAreRefusedBeforeTraining()
    {
        var judged = Assert.Throws<TrainingException>(() =>
            Trainer.Run(RecipeReader.Read(LabelFreeRecipe(StageC)), new TrainingInputs(this.index, null, null, null, dir.File("no-qrels-c"))));
        Assert.Contains("stages[0] ('c') trains on judged queries: pass --queries and --qrels", judged.Message);
        var validated = Assert.Throws<TrainingException>(() =>
            Trainer.Run(RecipeReader.Read(LabelFreeRecipe(StageMlm, validation: "3")), new TrainingInputs(this.index, null, null, null, dir.File("no-qrels-v"))));
        Assert.Contains("validation_queries needs judged queries", validated.Message);
        Assert.False(Directory.Exists(dir.Combine("no-qrels-c")));
    }

    [Fact]
    public void MaskedLmLossFallsOverAFewDozenSteps()
    {
        var recipe = RecipeReader.Read(Recipe("""{ "name": "mlm", "objective": "mlm", "steps": 30, "batch": 8, "max_length": 24, "lr": 5e-3, "warmup": 3 }"""));
        var outcome = Trainer.Run(recipe, Inputs("mlm-loss", teacher: null));
        var losses = File.ReadLines(Path.Combine(outcome.ModelDirectory, Trainer.LogFile))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "step")
            .Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(30, losses.Length);
        // From about ln(30522) ≈ 10.3 (uniform over the vocabulary) toward the 24 words the collection uses.
        Assert.InRange(losses.Take(5).Average(), 9, 11.5);
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average() - 1, string.Join(", ", losses.Select(l => l.ToString("F2"))));
    }

    [Fact]
    public void ResumeInsideAMaskedLmStageRestoresItsHead()
    {
        var recipe = RecipeReader.Read(Recipe(StageMlm + "," + StageC.Replace("\"steps\": 30", "\"steps\": 2")));
        var straight = Trainer.Run(recipe, Inputs("mlm-straight", teacher: null));
        RunAndKill(recipe, Inputs("mlm-killed", teacher: null), "mlm", 3);
        var resumed = Trainer.Run(recipe, Inputs("mlm-killed", resume: true, teacher: null));
        Assert.Equal(StepLosses(straight.ModelDirectory), StepLosses(resumed.ModelDirectory));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory, "model.safetensors")));
    }

    [Fact]
    public void AWeightAveragedStageResumesBitIdenticallyAndEndsWithTheAverage()
    {
        const string averaged = "\"ema_decay\": 0.9, \"validation_interval\": 3,";
        var recipe = RecipeReader.Read(Recipe(TwoStages.Replace("\"validation_interval\": 3,", averaged)));
        Assert.Equal(0.9, recipe.Stages[0].EmaDecay);
        var straight = Trainer.Run(recipe, Inputs("ema-straight"));
        // Killed after the checkpoint at c/2, so c/3 is replayed from the saved average.
        RunAndKill(recipe, Inputs("ema-killed"), "c", 3);
        var resumed = Trainer.Run(recipe, Inputs("ema-killed", resume: true));
        Assert.Equal(StepLosses(straight.ModelDirectory), StepLosses(resumed.ModelDirectory));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory, "model.safetensors")));

        // The average changes what stage d starts from, so its losses differ from a run without one; a decay near 0
        // makes the average the last step's weights, and the run that of no average.
        var plain = Trainer.Run(RecipeReader.Read(Recipe(TwoStages, "plain.json")), Inputs("ema-none"));
        Assert.NotEqual(StepLosses(plain.ModelDirectory), StepLosses(straight.ModelDirectory));
        var nearZero = Trainer.Run(RecipeReader.Read(Recipe(TwoStages.Replace("\"validation_interval\": 3,", "\"ema_decay\": 1e-12, \"validation_interval\": 3,"), "near-zero.json")), Inputs("ema-near-zero"));
        var expected = SafeTensors.Read(Path.Combine(plain.ModelDirectory, "model.safetensors"));
        foreach (var (name, tensor) in SafeTensors.Read(Path.Combine(nearZero.ModelDirectory, "model.safetensors")))
            for (int i = 0; i < tensor.Data.Length; i++)
                Assert.Equal(expected[name].Data[i], tensor.Data[i], 1e-5f);
    }

    private sealed class Sync(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
