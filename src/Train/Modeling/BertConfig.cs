using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SearchRerank.Core;
using SearchRerank.Core.Json;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// The Hugging Face <c>config.json</c> of a <c>BertForSequenceClassification</c> cross-encoder, plus the
/// project's <c>exact_match</c> flag (an extra [2, hidden] embedding added like token-type embeddings).
/// Defaults are those of transformers' BertConfig (bert-base); a missing field takes its default.
/// </summary>
/// <remarks>
/// Fields this type does not model (model_type, torch_dtype, sentence_transformers, ...) are kept from
/// <see cref="Read"/> and written back by <see cref="Write"/>, so rewriting a Hub config loses nothing.
/// Only what the ONNX export and the trainer implement is accepted: exact (erf) GELU, absolute positions,
/// one output label. Anything else is rejected with the file, line and field.
/// </remarks>
public sealed record BertConfig
{
    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;
    public string HiddenAct { get; init; } = "gelu";
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public double InitializerRange { get; init; } = 0.02;
    public int PadTokenId { get; init; }
    public IReadOnlyList<string> Architectures { get; init; } = ["BertForSequenceClassification"];
    public IReadOnlyDictionary<string, string> Id2Label { get; init; } = new Dictionary<string, string> { ["0"] = "LABEL_0" };

    /// <summary>When true the model has <c>bert.embeddings.exact_match_embeddings.weight</c> and an <c>exact_match_ids</c> input.</summary>
    public bool ExactMatch { get; init; }

    public int HeadSize => HiddenSize / NumAttentionHeads;

    public int NumLabels => Id2Label.Count;

    // Fields of the source file that this type does not model; written back unchanged.
    private JsonObject? otherFields;

    private static readonly string[] KnownFields =
    [
        "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
        "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "hidden_act", "hidden_dropout_prob",
        "attention_probs_dropout_prob", "initializer_range", "pad_token_id", "architectures", "id2label",
        "label2id", "exact_match",
    ];

    /// <summary>Reads and validates a config.json; errors are <see cref="DataFormatException"/> with file, line and field.</summary>
    public static BertConfig Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, JsonErrors.Line(ex), $"invalid JSON: {JsonErrors.Reason(ex)}");
        }
        if (root is not JsonObject obj)
            throw new DataFormatException(path, 1, "config must be a JSON object");
        return FromJson(obj, path, Lines(bytes));
    }

    /// <summary>Parses config JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static BertConfig Parse(string json, string source = "config.json")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(source, JsonErrors.Line(ex), $"invalid JSON: {JsonErrors.Reason(ex)}");
        }
        if (root is not JsonObject obj)
            throw new DataFormatException(source, 1, "config must be a JSON object");
        return FromJson(obj, source, Lines(bytes));
    }

    private static JsonLineIndex Lines(byte[] utf8) =>
        new(Encoding.UTF8.GetString(utf8), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    private static BertConfig FromJson(JsonObject obj, string path, JsonLineIndex lines)
    {
        var fields = new FieldReader(obj, path, lines);
        var defaults = new BertConfig();
        var config = new BertConfig
        {
            VocabSize = fields.Int("vocab_size", defaults.VocabSize),
            HiddenSize = fields.Int("hidden_size", defaults.HiddenSize),
            NumHiddenLayers = fields.Int("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = fields.Int("num_attention_heads", defaults.NumAttentionHeads),
            IntermediateSize = fields.Int("intermediate_size", defaults.IntermediateSize),
            MaxPositionEmbeddings = fields.Int("max_position_embeddings", defaults.MaxPositionEmbeddings),
            TypeVocabSize = fields.Int("type_vocab_size", defaults.TypeVocabSize),
            LayerNormEps = fields.Double("layer_norm_eps", defaults.LayerNormEps),
            HiddenAct = fields.String("hidden_act", defaults.HiddenAct),
            HiddenDropoutProb = fields.Double("hidden_dropout_prob", defaults.HiddenDropoutProb),
            AttentionProbsDropoutProb = fields.Double("attention_probs_dropout_prob", defaults.AttentionProbsDropoutProb),
            InitializerRange = fields.Double("initializer_range", defaults.InitializerRange),
            PadTokenId = fields.Int("pad_token_id", defaults.PadTokenId),
            Architectures = fields.StringList("architectures", defaults.Architectures),
            Id2Label = fields.StringMap("id2label", defaults.Id2Label),
            ExactMatch = fields.Bool("exact_match", defaults.ExactMatch),
        };
        string? positions = fields.OptionalString("position_embedding_type");
        if (positions is not null and not "absolute")
            throw new DataFormatException(path, fields.Line("position_embedding_type"), $"position_embedding_type '{positions}' is not supported: only 'absolute' is");

        var others = new JsonObject();
        foreach (var (key, value) in obj)
            if (!KnownFields.Contains(key))
                others[key] = value?.DeepClone();
        config.otherFields = others;
        config.Validate(path, fields.Line);
        return config;
    }

    /// <summary>Checks the values this project can build and export; throws <see cref="DataFormatException"/> naming the field.</summary>
    public void Validate(string source = "config.json") => Validate(source, _ => 0);

    private void Validate(string source, Func<string, long> lineOf)
    {
        void Require(bool ok, string field, string message)
        {
            if (!ok)
                throw new DataFormatException(source, lineOf(field), $"{field}: {message}");
        }

        Require(VocabSize > 0, "vocab_size", $"must be positive, got {VocabSize}");
        Require(HiddenSize > 0, "hidden_size", $"must be positive, got {HiddenSize}");
        Require(NumHiddenLayers > 0, "num_hidden_layers", $"must be positive, got {NumHiddenLayers}");
        Require(NumAttentionHeads > 0, "num_attention_heads", $"must be positive, got {NumAttentionHeads}");
        Require(HiddenSize % NumAttentionHeads == 0, "num_attention_heads",
            $"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        Require(IntermediateSize > 0, "intermediate_size", $"must be positive, got {IntermediateSize}");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", $"must be positive, got {MaxPositionEmbeddings}");
        Require(TypeVocabSize > 0, "type_vocab_size", $"must be positive, got {TypeVocabSize}");
        Require(double.IsFinite(LayerNormEps) && LayerNormEps > 0, "layer_norm_eps", $"must be a positive number, got {LayerNormEps.ToString(CultureInfo.InvariantCulture)}");
        Require(HiddenAct == "gelu", "hidden_act", $"'{HiddenAct}' is not supported: only 'gelu' (exact erf GELU) is");
        Require(HiddenDropoutProb is >= 0 and < 1, "hidden_dropout_prob", $"must be in [0, 1), got {HiddenDropoutProb.ToString(CultureInfo.InvariantCulture)}");
        Require(AttentionProbsDropoutProb is >= 0 and < 1, "attention_probs_dropout_prob", $"must be in [0, 1), got {AttentionProbsDropoutProb.ToString(CultureInfo.InvariantCulture)}");
        Require(double.IsFinite(InitializerRange) && InitializerRange > 0, "initializer_range", $"must be a positive number, got {InitializerRange.ToString(CultureInfo.InvariantCulture)}");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", $"must be in [0, vocab_size {VocabSize}), got {PadTokenId}");
        Require(Id2Label.Count == 1, "id2label", $"a cross-encoder has exactly 1 label, got {Id2Label.Count}");
    }

    /// <summary>Writes config.json atomically, sorted by key like transformers' save_pretrained.</summary>
    public void Write(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ToJson() + "\n");
        AtomicFile.WriteStream(path, stream => stream.Write(bytes));
    }

    public string ToJson()
    {
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (otherFields is not null)
            foreach (var (key, value) in otherFields)
                fields[key] = value?.DeepClone();
        fields.TryAdd("model_type", "bert");
        fields["vocab_size"] = VocabSize;
        fields["hidden_size"] = HiddenSize;
        fields["num_hidden_layers"] = NumHiddenLayers;
        fields["num_attention_heads"] = NumAttentionHeads;
        fields["intermediate_size"] = IntermediateSize;
        fields["max_position_embeddings"] = MaxPositionEmbeddings;
        fields["type_vocab_size"] = TypeVocabSize;
        fields["layer_norm_eps"] = LayerNormEps;
        fields["hidden_act"] = HiddenAct;
        fields["hidden_dropout_prob"] = HiddenDropoutProb;
        fields["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        fields["initializer_range"] = InitializerRange;
        fields["pad_token_id"] = PadTokenId;
        fields["architectures"] = new JsonArray(Architectures.Select(a => (JsonNode?)a).ToArray());
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        foreach (var (id, label) in Id2Label.OrderBy(kv => int.TryParse(kv.Key, out int n) ? n : int.MaxValue))
        {
            id2label[id] = label;
            label2id[label] = int.TryParse(id, out int n) ? n : 0;
        }
        fields["id2label"] = id2label;
        fields["label2id"] = label2id;
        fields["exact_match"] = ExactMatch;

        var root = new JsonObject();
        foreach (var (key, value) in fields)
            root[key] = value;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Typed access to top-level fields with errors that name the file, line and field.</summary>
    private sealed class FieldReader(JsonObject obj, string path, JsonLineIndex lines)
    {
        public long Line(string field) => lines.LineOf(field);

        private DataFormatException Bad(string field, string expected, JsonNode? value) =>
            new(path, Line(field), $"{field}: expected {expected}, got {value?.ToJsonString() ?? "null"}");

        private JsonNode? Get(string field) => obj.TryGetPropertyValue(field, out var node) ? node : null;

        public int Int(string field, int fallback)
        {
            var node = Get(field);
            if (node is null)
                return fallback;
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int n))
                return n;
            // 128.0 is still an integer count; 128.5 is not.
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
                return (int)d;
            throw Bad(field, "an integer", node);
        }

        public double Double(string field, double fallback)
        {
            var node = Get(field);
            if (node is null)
                return fallback;
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double d))
                return d;
            throw Bad(field, "a number", node);
        }

        public bool Bool(string field, bool fallback)
        {
            var node = Get(field);
            if (node is null)
                return fallback;
            if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                return value.GetValue<bool>();
            throw Bad(field, "true or false", node);
        }

        public string? OptionalString(string field)
        {
            var node = Get(field);
            if (node is null)
                return null;
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                return value.GetValue<string>();
            throw Bad(field, "a string", node);
        }

        public string String(string field, string fallback) => OptionalString(field) ?? fallback;

        public IReadOnlyList<string> StringList(string field, IReadOnlyList<string> fallback)
        {
            var node = Get(field);
            if (node is null)
                return fallback;
            if (node is JsonArray array && array.All(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String))
                return array.Select(item => item!.GetValue<string>()).ToList();
            throw Bad(field, "an array of strings", node);
        }

        public IReadOnlyDictionary<string, string> StringMap(string field, IReadOnlyDictionary<string, string> fallback)
        {
            var node = Get(field);
            if (node is null)
                return fallback;
            if (node is JsonObject map && map.All(kv => kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String))
                return map.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
            throw Bad(field, "an object of strings", node);
        }
    }
}
