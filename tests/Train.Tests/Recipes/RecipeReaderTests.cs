using SearchRerank.Core;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Tests.Model;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Tests.Recipes;

public sealed class RecipeReaderTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public RecipeReaderTests() => File.WriteAllText(this.dir.File("config.json"), "{}");

    public void Dispose() => this.dir.Dispose();

    private string Write(string json)
    {
        string path = this.dir.File("recipe.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Model => $"\"model\": {{\"config\": \"config.json\", \"tokenizer\": \"{ReferenceFiles.TinyModel.Replace("\\", "/")}/vocab.txt\", \"exact_match\": true}}";

    [Fact]
    public void ReadsTwoStageRecipeWithDefaults()
    {
        var recipe = RecipeReader.Read(Write($$"""
            { "seed": 7, {{Model}}, "validation_queries": 0.2, "patience": 2, "alpha_selection": "one_standard_error",
              "validation_split": "shared_positive_strata",
              "stages": [
                {"name": "c", "objective": "lce", "steps": 100, "warmup": 10, "curriculum": {"heuristic": "reciprocal_rank", "steps": 50}, "false_negatives": "skip_above_positive", "other_positives": 3, "ema_decay": 0.998 },
                {"name": "d", "objective": "ranknet", "epochs": 2, "lr": 2e-5, "batch": 4}
              ] }
            """));
        Assert.Equal(7, recipe.Seed);
        Assert.True(recipe.Model.ExactMatch);
        Assert.Equal(this.dir.File("config.json"), recipe.Model.Config);
        Assert.Equal(0.2, recipe.Validation.Fraction);
        Assert.Equal(2, recipe.Validation.Patience);
        Assert.Equal(100, recipe.Validation.Depth);
        Assert.Equal(AlphaSelection.OneStandardError, recipe.Validation.AlphaSelection);
        Assert.Equal(ValidationSplit.SharedPositiveStrata, recipe.Validation.Split);
        var c = recipe.Stages[0];
        Assert.Equal(TrainingObjective.Lce, c.Objective);
        Assert.Equal(DataSource.Qrels, c.Data.Source);
        Assert.Equal((1e-5, 0.01, 10.0, 256, 8, 200), (c.LearningRate, c.WeightDecay, c.ClipNorm, c.MaxLength, c.GroupSize, c.Depth));
        Assert.Equal(new CurriculumSpec(CurriculumHeuristic.ReciprocalRank, 50), c.Curriculum);
        Assert.True(c.SkipNegativesAbovePositive);
        Assert.Equal(3, c.OtherPositives);
        Assert.Equal(0.998, c.EmaDecay);
        var d = recipe.Stages[1];
        Assert.False(d.SkipNegativesAbovePositive);
        Assert.Equal(0, d.EmaDecay);
        Assert.Equal((TrainingObjective.RankNet, DataSource.Teacher, 20, 2, 0, 4), (d.Objective, d.Data.Source, d.GroupSize, d.Epochs, d.Steps, d.Batch));
    }

    [Fact]
    public void ReadsWeakQueriesMixedIntoAJudgedStage()
    {
        var recipe = RecipeReader.Read(Write($$"""
            { "seed": 1, {{Model}}, "stages": [
                {"name": "c", "objective": "lce", "steps": 10, "data": {"corpus": "config.json", "weak_queries": 300} } ] }
            """));
        var data = recipe.Stages[0].Data;
        Assert.Equal((DataSource.Qrels, 300, this.dir.File("config.json")), (data.Source, data.WeakQueries, data.Corpus));
    }

    [Theory]
    [InlineData("\"objective\": \"listnet\", \"steps\": 1", "stages[0].objective: unknown objective 'listnet'; allowed: bce, lce, ranknet, listkl, marginmse, mlm")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"lr\": \"fast\"", "stages[0].lr: expected a number, got string \"fast\"")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"learning_rate\": 1e-5", "stages[0].learning_rate: unknown field")]
    [InlineData("\"objective\": \"lce\"", "stages[0]: give exactly one of 'steps' and 'epochs'")]
    [InlineData("\"objective\": \"lce\", \"steps\": 5, \"warmup\": 5", "stages[0].warmup: 5 warm-up steps leave nothing")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"group_size\": 1", "stages[0].group_size: 1 is out of range")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"data\": {\"source\": \"qrels\"}", "stages[0].data.source: objective 'ranknet' learns from a teacher run")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"source\": \"weak\"}", "stages[0].data.corpus: weak supervision needs the corpus")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"curriculum\": {\"heuristic\": \"reciprocal_rank\", \"steps\": 3}", "stages[0].curriculum: needs first-stage relevance labels")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"curriculum\": {\"heuristic\": \"loss\", \"steps\": 3}", "stages[0].curriculum.heuristic: unknown heuristic 'loss'")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"queries\": \"missing.jsonl\"}", "stages[0].data.queries: 'missing.jsonl' does not exist")]
    [InlineData("\"objective\": \"mlm\", \"steps\": 1, \"group_size\": 4", "stages[0].group_size: not used by objective 'mlm'")]
    [InlineData("\"objective\": \"mlm\", \"steps\": 1, \"validation_interval\": 4", "stages[0].validation_interval: not used by objective 'mlm'")]
    [InlineData("\"objective\": \"mlm\", \"steps\": 1, \"data\": {\"source\": \"qrels\"}", "stages[0].data.source: objective 'mlm' trains on the index's documents; source must be 'documents'")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"source\": \"documents\"}", "stages[0].data.source: source 'documents' is for objective 'mlm', not 'lce'")]
    [InlineData("\"objective\": \"mlm\", \"steps\": 1, \"data\": {\"qrels\": \"config.json\"}", "stages[0].data.qrels: not used with source 'documents'")]
    [InlineData("\"objective\": \"mlm\", \"steps\": 1, \"curriculum\": {\"heuristic\": \"reciprocal_rank\", \"steps\": 3}", "stages[0].curriculum: needs first-stage relevance labels")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"teacher\": \"self\"}", "stages[0].data.teacher: only used with source 'teacher', this stage's source is 'qrels'")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"data\": {\"teacher_alpha\": 0.3}", "stages[0].data.teacher_alpha: only used with \"teacher\": \"self\"")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"data\": {\"teacher\": \"self\", \"teacher_alpha\": 1.5}", "stages[0].data.teacher_alpha: 1.5 is out of range [0, 1]")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"data\": {\"teacher\": \"selfish.run\"}", "stages[0].data.teacher: 'selfish.run' does not exist")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"false_negatives\": \"drop\"", "stages[0].false_negatives: unknown value 'drop'; allowed: keep, skip_above_positive")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"false_negatives\": \"skip_above_positive\"", "stages[0].false_negatives: filters the negatives mined from the first stage; objective 'ranknet' mines none")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"group_size\": 4, \"other_positives\": 4", "stages[0].other_positives: 4 negatives do not fit a group of 4 (1 positive + 3 negatives)")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"other_positives\": 2", "stages[0].other_positives: draws negatives from the first stage's pool; objective 'ranknet' mines none")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"ema_decay\": 1", "stages[0].ema_decay: a decay of 1 never lets the average move")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"ema_decay\": -0.5", "stages[0].ema_decay: -0.5 is out of range [0, 1]")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"weak_queries\": 50}", "stages[0].data.corpus: weak_queries needs the corpus")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"corpus\": \"config.json\"}", "stages[0].data.corpus: only used with source 'weak' or with weak_queries")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"weak_queries\": 0, \"corpus\": \"config.json\"}", "stages[0].data.weak_queries: 0 is out of range")]
    [InlineData("\"objective\": \"lce\", \"steps\": 1, \"data\": {\"source\": \"weak\", \"weak_queries\": 5, \"corpus\": \"config.json\"}", "stages[0].data.weak_queries: mixes title queries into judged groups: only for objective lce or bce with source 'qrels', not 'lce' with source 'weak'")]
    [InlineData("\"objective\": \"ranknet\", \"steps\": 1, \"data\": {\"teacher\": \"self\", \"weak_queries\": 5, \"corpus\": \"config.json\"}", "stages[0].data.weak_queries: mixes title queries into judged groups: only for objective lce or bce with source 'qrels', not 'ranknet'")]
    public void RejectsBadStageNamingTheField(string stageBody, string expected)
    {
        string path = Write($$"""{ "seed": 1, {{Model}}, "stages": [ { "name": "s", {{stageBody}} } ] }""");
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("{ \"model\": {}, \"stages\": [] }", "seed: required field is missing")]
    [InlineData("{ \"seed\": -1 }", "seed: -1 is out of range")]
    [InlineData("{ \"seed\": 1, \"model\": {\"tokenizer\": \"config.json\"}, \"stages\": [] }", "model: give exactly one of 'config'")]
    [InlineData("{ \"seed\": 1, MODEL, \"stages\": [] }", "stages: expected a non-empty array")]
    [InlineData("{ \"seed\": 1, MODEL, \"validation_queries\": 2.5, \"stages\": [] }", "validation_queries: 2.5 is neither a fraction")]
    [InlineData("{ \"seed\": 1, MODEL, \"stages\": [{\"name\": \"a\", \"objective\": \"lce\", \"steps\": 1}, {\"name\": \"a\", \"objective\": \"bce\", \"steps\": 1}] }", "stages[1].name: 'a' is used by an earlier stage")]
    [InlineData("{ \"seed\": 1, \"seed\": 2 }", "seed: given twice")]
    [InlineData("{ \"seed\": 1, MODEL, \"alpha_selection\": \"median\", \"stages\": [] }", "alpha_selection: unknown alpha_selection 'median'; allowed: best, one_standard_error")]
    [InlineData("{ \"seed\": 1, MODEL, \"validation_split\": \"stratified\", \"stages\": [] }", "validation_split: unknown validation_split 'stratified'; allowed: random, shared_positive_strata")]
    public void RejectsBadTopLevel(string json, string expected)
    {
        string path = Write(json.Replace("MODEL", Model));
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void InvalidJsonReportsTheLine()
    {
        string path = Write("{\n \"seed\": 1,\n \"model\": ]\n}");
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.Equal(3, error.Line);
        Assert.Contains("invalid JSON", error.Message);
    }

    [Fact]
    public void FieldErrorsNameTheLineOfTheField()
    {
        string path = Write($$"""
            { "seed": 1,
              {{Model}},
              "stages": [
                { "name": "c", "objective": "lce", "steps": 10 },
                { "name": "d", "objective": "lce",
                  "steps": 10,
                  "learning_rate": 1e-5 }
              ] }
            """);
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.Equal(7, error.Line);
        Assert.StartsWith($"{path}:7: stages[1].learning_rate: unknown field", error.Message);
    }

    [Fact]
    public void SelfTeacherIsTheRunsOwnRankerWithAGivenOrTunedAlpha()
    {
        var recipe = RecipeReader.Read(Write($$"""
            { "seed": 1, {{Model}},
              "stages": [
                { "name": "d1", "objective": "ranknet", "steps": 10, "data": { "teacher": "self" } },
                { "name": "d2", "objective": "listkl", "steps": 10, "data": { "teacher": "self", "teacher_alpha": 0.3 } }
              ] }
            """));
        Assert.Equal((DataSource.Teacher, true, null, (double?)null), (recipe.Stages[0].Data.Source, recipe.Stages[0].Data.SelfTeacher, recipe.Stages[0].Data.Teacher, recipe.Stages[0].Data.TeacherAlpha));
        Assert.Equal((true, (double?)0.3), (recipe.Stages[1].Data.SelfTeacher, recipe.Stages[1].Data.TeacherAlpha));
        Assert.Equal(AlphaSelection.Best, recipe.Validation.AlphaSelection);
        Assert.Equal(ValidationSplit.Random, recipe.Validation.Split);
    }

    [Fact]
    public void MaskedLmStageTrainsOnTheIndexDocuments()
    {
        var recipe = RecipeReader.Read(Write($$"""
            { "seed": 1, {{Model}}, "validation_queries": 0,
              "stages": [ { "name": "m", "objective": "mlm", "steps": 10, "batch": 16, "max_length": 128, "data": { "max_queries": 500 } } ] }
            """));
        var m = recipe.Stages[0];
        Assert.Equal((TrainingObjective.Mlm, DataSource.Documents, 500, 16, 128), (m.Objective, m.Data.Source, m.Data.MaxQueries, m.Batch, m.MaxLength));
    }

    [Fact]
    public void SelfTeacherWithoutValidationNeedsItsAlphaAndNamesTheLine()
    {
        string path = Write($$"""
            { "seed": 1, {{Model}}, "validation_queries": 0,
              "stages": [
                { "name": "d", "objective": "ranknet", "steps": 10,
                  "data": { "teacher": "self" } }
              ] }
            """);
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.StartsWith($"{path}:4: stages[0].data.teacher: a self teacher tunes its fusion weight on the validation queries", error.Message);
        Assert.EndsWith("give data.teacher_alpha or the recipe's fusion_alpha", error.Message);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"teacher\": \"self\"", "\"teacher\": \"self\", \"teacher_alpha\": 0"));
        Assert.Equal(0, RecipeReader.Read(path).Stages[0].Data.TeacherAlpha);
    }

    [Fact]
    public void SelfTeacherWithoutValidationFusesAtTheRecipesFusionAlphaUnlessItNamesItsOwn()
    {
        string path = Write($$"""
            { "seed": 1, {{Model}}, "validation_queries": 0, "fusion_alpha": 0.4,
              "stages": [
                { "name": "d", "objective": "ranknet", "steps": 10, "data": { "teacher": "self" } },
                { "name": "d2", "objective": "ranknet", "steps": 10, "data": { "teacher": "self", "teacher_alpha": 0.2 } }
              ] }
            """);
        var recipe = RecipeReader.Read(path);
        Assert.Equal(0.4, recipe.Stages[0].Data.TeacherAlpha);
        Assert.Equal(0.2, recipe.Stages[1].Data.TeacherAlpha);
        Assert.Equal(0.4, recipe.Validation.UnvalidatedAlpha);
    }

    [Fact]
    public void FusionAlphaIsOnlyForARecipeThatHoldsNothingOut()
    {
        string path = Write($$"""
            { "seed": 1, {{Model}}, "validation_queries": 0,
              "fusion_alpha": 0.5,
              "stages": [ { "name": "m", "objective": "mlm", "steps": 10, "batch": 16, "max_length": 128 } ] }
            """);
        Assert.Equal(0.5, RecipeReader.Read(path).Validation.UnvalidatedAlpha);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"validation_queries\": 0", "\"validation_queries\": 20"));
        var tuned = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.StartsWith($"{path}:2: fusion_alpha: the validation queries tune the fusion weight", tuned.Message);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"validation_queries\": 20", "\"validation_queries\": 0").Replace("0.5", "1.5"));
        var outOfRange = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.StartsWith($"{path}:2: fusion_alpha", outOfRange.Message);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"fusion_alpha\": 1.5,", ""));
        Assert.Equal(ModelFolder.UnvalidatedAlpha, RecipeReader.Read(path).Validation.UnvalidatedAlpha);
    }

    [Fact]
    public void MissingFieldNamesTheLineOfTheObjectThatLacksIt()
    {
        string path = Write($$"""
            { "seed": 1, {{Model}},
              "stages": [
                { "name": "c", "objective": "lce", "steps": 10 },
                { "objective": "lce", "steps": 10 }
              ] }
            """);
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.Equal(4, error.Line);
        Assert.Contains("stages[1].name: required field is missing", error.Message);
    }

    [Fact]
    public void InvalidJsonHasNoSecondZeroBasedLocation()
    {
        string path = Write("{\n \"seed\": 1,\n \"model\": ]\n}");
        var error = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Fact]
    public void ValidationCountOrFraction()
    {
        Assert.Equal(30, new ValidationSpec(30, 0, 100, 0).HeldOut(500));
        Assert.Equal(50, new ValidationSpec(0, 0.1, 100, 0).HeldOut(500));
        Assert.Equal(7, new ValidationSpec(30, 0, 100, 0).HeldOut(7));
        Assert.Equal(0, new ValidationSpec(0, 0, 100, 0).HeldOut(7));
    }

    [Fact]
    public void ExampleRecipesInTheRepositoryAreValid()
    {
        var recipes = Directory.GetFiles(Path.Combine(ReferenceFiles.RepoRoot, "recipes"), "*.json");
        Assert.NotEmpty(recipes);
        var models = Path.Combine(ReferenceFiles.RepoRoot, "models");
        foreach (var path in recipes)
        {
            var text = File.ReadAllText(path);
            // A recipe that continues another recipe's model (models/…, built by training, ignored by git) is checked
            // on a copy that starts from the reference model instead, unless that model has been trained here.
            var init = System.Text.RegularExpressions.Regex.Match(text, "\"init\": \"(\\.\\./models/[^\"]+)\"");
            if (init.Success && !Directory.Exists(Path.Combine(ReferenceFiles.RepoRoot, "recipes", init.Groups[1].Value)))
            {
                using var dir = new TempDirectory();
                // The copy lives elsewhere, so its other relative paths (a corpus, a vocabulary) are made absolute.
                var started = text.Replace(init.Groups[1].Value, ReferenceFiles.TinyModel.Replace("\\", "/"));
                var absolute = System.Text.RegularExpressions.Regex.Replace(started, "\"(\\.\\.?/[^\"]+)\"",
                    m => $"\"{Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, m.Groups[1].Value)).Replace("\\", "/")}\"");
                var copy = dir.File(Path.GetFileName(path), absolute);
                var missing = Assert.Throws<DataFormatException>(() => RecipeReader.Read(path));
                Assert.Contains("model.init", missing.Message);
                Assert.Contains(models, missing.Message);
                Assert.NotEmpty(RecipeReader.Read(copy).Stages);
                continue;
            }
            Assert.NotEmpty(RecipeReader.Read(path).Stages);
        }
    }
}
