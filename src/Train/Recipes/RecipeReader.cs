using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Core.Json;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train.Recipes;

/// <summary>
/// Reads and validates a recipe JSON file. Unknown fields, wrong kinds, out-of-range values, unknown objectives and
/// inconsistent stages are rejected with a <see cref="DataFormatException"/> naming the file, the line and the field.
/// Relative paths are resolved against the recipe's folder. Defaults follow the paper where it gives one
/// (AdamW lr 1e-5, weight decay 0.01, clipping at 10, 256 tokens) and the CPU budget otherwise (groups of 8).
/// </summary>
public static class RecipeReader
{
    public const double DefaultLearningRate = 1e-5;
    public const double DefaultWeightDecay = 0.01;
    public const double DefaultClipNorm = 10.0;
    public const int DefaultMaxLength = 256;
    public const int DefaultDepth = 200;
    public const int DefaultContrastiveGroup = 8;
    public const int DefaultTeacherGroup = 20;
    public const int DefaultValidationDepth = 100;
    public const int DefaultCheckpointInterval = 100;

    /// <summary>The <c>data.teacher</c> value that makes a distillation stage learn from the run's own ranker (a file named so is written <c>./self</c>).</summary>
    public const string SelfTeacher = "self";

    public static TrainingRecipe Read(string path)
    {
        using var source = JsonSource.Read(path, "recipe");
        return Parse(source, source.Root);
    }

    private static TrainingRecipe Parse(JsonSource file, JsonElement root)
    {
        var fields = file.Object("", root, "seed", "model", "validation_queries", "validation_depth", "alpha_selection", "validation_split", "fusion_alpha", "patience", "checkpoint_interval", "stages");
        long seed = fields.Integer("seed", 0, long.MaxValue) ?? throw fields.Error("seed", "required field is missing");
        var model = ParseModel(file, fields.Element("model") ?? throw fields.Error("model", "required field is missing"));

        double validationQueries = fields.Number("validation_queries", 0, int.MaxValue) ?? 0.1;
        ValidationSpec validation = validationQueries switch
        {
            0 => new ValidationSpec(0, 0, 0, 0),
            < 1 => new ValidationSpec(0, validationQueries, 0, 0),
            _ when validationQueries == Math.Floor(validationQueries) => new ValidationSpec((int)validationQueries, 0, 0, 0),
            _ => throw fields.Error("validation_queries", $"{validationQueries:g} is neither a fraction in (0, 1) nor a whole count"),
        };
        validation = validation with
        {
            Depth = fields.Int("validation_depth", 1) ?? DefaultValidationDepth,
            Patience = fields.Int("patience", 0) ?? 0,
            AlphaSelection = fields.String("alpha_selection") switch
            {
                null or "best" => AlphaSelection.Best,
                "one_standard_error" => AlphaSelection.OneStandardError,
                string other => throw fields.Error(fields.Field("alpha_selection"), $"unknown alpha_selection '{other}'; allowed: best, one_standard_error"),
            },
            Split = fields.String("validation_split") switch
            {
                null or "random" => ValidationSplit.Random,
                "shared_positive_strata" => ValidationSplit.SharedPositiveStrata,
                string other => throw fields.Error(fields.Field("validation_split"), $"unknown validation_split '{other}'; allowed: random, shared_positive_strata"),
            },
        };
        double? fusionAlpha = fields.Number("fusion_alpha", 0, 1);
        if (fusionAlpha is not null && validationQueries > 0)
            throw fields.Error(fields.Field("fusion_alpha"), "the validation queries tune the fusion weight; fusion_alpha is only used with validation_queries 0");
        if (fusionAlpha is { } alpha)
            validation = validation with { UnvalidatedAlpha = alpha };

        var stagesElement = fields.Element("stages") ?? throw fields.Error("stages", "required field is missing");
        if (stagesElement.ValueKind != JsonValueKind.Array || stagesElement.GetArrayLength() == 0)
            throw fields.Error("stages", "expected a non-empty array of stages");
        var stages = new List<StageSpec>();
        int index = 0;
        foreach (var element in stagesElement.EnumerateArray())
        {
            var stage = ParseStage(file, $"stages[{index}]", element, validationQueries > 0, fusionAlpha);
            if (stages.Any(s => s.Name == stage.Name))
                throw file.Error($"stages[{index}].name", $"'{stage.Name}' is used by an earlier stage; names must be unique");
            stages.Add(stage);
            index++;
        }
        return new TrainingRecipe(Path.GetFullPath(file.Path), seed, model, validation, fields.Int("checkpoint_interval", 1) ?? DefaultCheckpointInterval, stages);
    }

    private static ModelSpec ParseModel(JsonSource file, JsonElement element)
    {
        var fields = file.Object("model", element, "config", "init", "tokenizer", "exact_match");
        string? config = fields.ExistingPath("config");
        string? init = fields.ExistingPath("init");
        if ((config is null) == (init is null))
            throw fields.Error("model", "give exactly one of 'config' (fresh model from a BERT config) and 'init' (existing checkpoint folder)");
        if (init is not null && !Directory.Exists(init))
            throw fields.Error(fields.Field("init"), $"'{init}' is not a folder");
        string? tokenizer = fields.ExistingPath("tokenizer") ?? init
            ?? throw fields.Error(fields.Field("tokenizer"), "required when the model starts from 'config' (a vocab.txt file or a tokenizer folder)");
        return new ModelSpec(config, init, tokenizer, fields.Bool("exact_match"));
    }

    /// <param name="validates">The recipe holds queries out, so a self teacher can tune its fusion weight on them.</param>
    /// <param name="fusionAlpha">The recipe's <c>fusion_alpha</c>: a self teacher without its own weight fuses at it.</param>
    private static StageSpec ParseStage(JsonSource file, string at, JsonElement element, bool validates, double? fusionAlpha)
    {
        var fields = file.Object(at, element,
            "name", "objective", "data", "lr", "weight_decay", "warmup", "steps", "epochs", "batch", "group_size",
            "grad_accumulation", "max_length", "clip", "depth", "validation_interval", "curriculum", "false_negatives", "other_positives", "ema_decay");
        string name = fields.RequiredString("name");
        string objectiveName = fields.RequiredString("objective");
        if (!ObjectiveNames.TryParse(objectiveName, out var objective))
            throw fields.Error(fields.Field("objective"), $"unknown objective '{objectiveName}'; allowed: {string.Join(", ", ObjectiveNames.Allowed)}");

        var data = ParseData(file, fields, objective, validates, fusionAlpha);
        int steps = fields.Int("steps", 1) ?? 0;
        int epochs = fields.Int("epochs", 1) ?? 0;
        if ((steps > 0) == (epochs > 0))
            throw fields.Error(at, "give exactly one of 'steps' and 'epochs'");
        if (objective == TrainingObjective.Mlm)
            foreach (string unused in new[] { "group_size", "depth", "validation_interval" })
                if (fields.Has(unused))
                    throw fields.Error(fields.Field(unused), "not used by objective 'mlm' (it trains on the index's documents, one sequence per item, and is not validated)");
        bool teacher = data.Source == DataSource.Teacher;
        int groupSize = fields.Int("group_size", 2, 4096) ?? (teacher ? DefaultTeacherGroup : DefaultContrastiveGroup);
        int warmup = fields.Int("warmup", 0) ?? 0;
        if (steps > 0 && warmup >= steps)
            throw fields.Error(fields.Field("warmup"), $"{warmup} warm-up steps leave nothing of the stage's {steps} steps");
        int maxLength = fields.Int("max_length", 8, 512) ?? DefaultMaxLength;

        CurriculumSpec? curriculum = null;
        if (fields.Element("curriculum") is { } curriculumElement)
        {
            if (objective is not (TrainingObjective.Bce or TrainingObjective.Lce))
                throw fields.Error(fields.Field("curriculum"), $"needs first-stage relevance labels; objective '{objectiveName}' has none (use bce or lce)");
            curriculum = ParseCurriculum(file, fields.Field("curriculum"), curriculumElement);
        }

        bool skipAbovePositive = fields.String("false_negatives") switch
        {
            null or "keep" => false,
            "skip_above_positive" => true,
            string other => throw fields.Error(fields.Field("false_negatives"), $"unknown value '{other}'; allowed: keep, skip_above_positive"),
        };
        if (skipAbovePositive && objective is not (TrainingObjective.Bce or TrainingObjective.Lce))
            throw fields.Error(fields.Field("false_negatives"), $"filters the negatives mined from the first stage; objective '{objectiveName}' mines none (use bce or lce)");
        int otherPositives = fields.Int("other_positives", 0, 4096) ?? 0;
        if (otherPositives > 0 && objective is not (TrainingObjective.Bce or TrainingObjective.Lce))
            throw fields.Error(fields.Field("other_positives"), $"draws negatives from the first stage's pool; objective '{objectiveName}' mines none (use bce or lce)");
        if (otherPositives >= groupSize)
            throw fields.Error(fields.Field("other_positives"), $"{otherPositives} negatives do not fit a group of {groupSize} (1 positive + {groupSize - 1} negatives)");

        double emaDecay = fields.Number("ema_decay", 0, 1) ?? 0;
        if (emaDecay >= 1)
            throw fields.Error(fields.Field("ema_decay"), "a decay of 1 never lets the average move from the stage's starting weights; use a value below 1 (e.g. 0.999), or 0 for no average");

        return new StageSpec(
            name, objective, data,
            LearningRate: fields.Number("lr", 1e-9, 1) ?? DefaultLearningRate,
            WeightDecay: fields.Number("weight_decay", 0, 1) ?? DefaultWeightDecay,
            Warmup: warmup,
            Steps: steps,
            Epochs: epochs,
            Batch: fields.Int("batch", 1, 4096) ?? 1,
            GroupSize: groupSize,
            GradAccumulation: fields.Int("grad_accumulation", 1, 4096) ?? 1,
            MaxLength: maxLength,
            ClipNorm: fields.Number("clip", 0, 1e9) ?? DefaultClipNorm,
            Depth: fields.Int("depth", groupSize, 10000) ?? Math.Max(DefaultDepth, groupSize),
            ValidationInterval: fields.Int("validation_interval", 0) ?? 0,
            Curriculum: curriculum,
            SkipNegativesAbovePositive: skipAbovePositive,
            OtherPositives: otherPositives,
            EmaDecay: emaDecay);
    }

    private static StageData ParseData(JsonSource file, JsonFields stage, TrainingObjective objective, bool validates, double? fusionAlpha)
    {
        string objectiveName = ObjectiveNames.Name(objective);
        var implied = objective == TrainingObjective.Mlm ? DataSource.Documents : ObjectiveNames.NeedsTeacher(objective) ? DataSource.Teacher : DataSource.Qrels;
        if (stage.Element("data") is not { } element)
            return new StageData(implied, null, null, null, null, 0, false, null);
        var fields = file.Object(stage.Field("data"), element, "source", "queries", "qrels", "teacher", "teacher_alpha", "corpus", "max_queries", "weak_queries");
        var source = fields.String("source") switch
        {
            null => implied,
            "qrels" => DataSource.Qrels,
            "teacher" => DataSource.Teacher,
            "weak" => DataSource.Weak,
            "documents" => DataSource.Documents,
            string other => throw fields.Error(fields.Field("source"), $"unknown source '{other}'; allowed: qrels, teacher, weak, documents"),
        };
        if ((objective == TrainingObjective.Mlm) != (source == DataSource.Documents))
            throw fields.Error(fields.Field("source"), objective == TrainingObjective.Mlm
                ? "objective 'mlm' trains on the index's documents; source must be 'documents'"
                : $"source 'documents' is for objective 'mlm', not '{objectiveName}'");
        if (source == DataSource.Documents)
            foreach (string unused in new[] { "queries", "qrels" })
                if (fields.Has(unused))
                    throw fields.Error(fields.Field(unused), "not used with source 'documents' (masked-LM training needs no queries)");
        if (ObjectiveNames.NeedsTeacher(objective) && source != DataSource.Teacher)
            throw fields.Error(fields.Field("source"), $"objective '{objectiveName}' learns from a teacher run; source must be 'teacher'");
        if (!ObjectiveNames.NeedsTeacher(objective) && source == DataSource.Teacher)
            throw fields.Error(fields.Field("source"), $"objective '{objectiveName}' learns from relevance labels; use ranknet, listkl or marginmse with a teacher");
        bool selfTeacher = fields.String("teacher") == SelfTeacher;
        string? teacher = selfTeacher ? null : fields.ExistingPath("teacher");
        if ((teacher is not null || selfTeacher) && source != DataSource.Teacher)
            throw fields.Error(fields.Field("teacher"), $"only used with source 'teacher', this stage's source is '{source.ToString().ToLowerInvariant()}'");
        double? teacherAlpha = fields.Number("teacher_alpha", 0, 1);
        if (teacherAlpha is not null && !selfTeacher)
            throw fields.Error(fields.Field("teacher_alpha"), $"only used with \"teacher\": \"{SelfTeacher}\" (a teacher run brings its own scores)");
        // With nothing held out, the weight the recipe exports is the only judgement of the fusion it has: the self
        // teacher is that same fused ranker, so one α serves both unless the stage names its own.
        if (selfTeacher && !validates)
            teacherAlpha ??= fusionAlpha ?? throw fields.Error(fields.Field("teacher"),
                $"a self teacher tunes its fusion weight on the validation queries, and validation_queries is 0: give data.teacher_alpha or the recipe's fusion_alpha");
        int weakQueries = fields.Int("weak_queries", 1) ?? 0;
        if (weakQueries > 0 && (source != DataSource.Qrels || objective is not (TrainingObjective.Bce or TrainingObjective.Lce)))
            throw fields.Error(fields.Field("weak_queries"), $"mixes title queries into judged groups: only for objective lce or bce with source 'qrels', not '{objectiveName}' with source '{source.ToString().ToLowerInvariant()}' (a weak stage of its own is source 'weak')");
        string? corpus = fields.ExistingPath("corpus");
        if ((source == DataSource.Weak || weakQueries > 0) && corpus is null)
            throw fields.Error(fields.Field("corpus"), source == DataSource.Weak
                ? "weak supervision needs the corpus (BEIR corpus.jsonl) whose titles become queries"
                : "weak_queries needs the corpus (BEIR corpus.jsonl) whose titles become queries");
        if (source != DataSource.Weak && weakQueries == 0 && corpus is not null)
            throw fields.Error(fields.Field("corpus"), "only used with source 'weak' or with weak_queries");
        return new StageData(source, fields.ExistingPath("queries"), fields.ExistingPath("qrels"), teacher, corpus, fields.Int("max_queries", 0) ?? 0, selfTeacher, teacherAlpha, weakQueries);
    }

    private static CurriculumSpec ParseCurriculum(JsonSource file, string at, JsonElement element)
    {
        var fields = file.Object(at, element, "heuristic", "steps");
        var heuristic = fields.RequiredString("heuristic") switch
        {
            "reciprocal_rank" => CurriculumHeuristic.ReciprocalRank,
            "normalized_score" => CurriculumHeuristic.NormalizedScore,
            string other => throw fields.Error(fields.Field("heuristic"), $"unknown heuristic '{other}'; allowed: reciprocal_rank, normalized_score"),
        };
        int steps = fields.Int("steps", 1) ?? throw fields.Error(fields.Field("steps"), "required field is missing");
        return new CurriculumSpec(heuristic, steps);
    }
}
