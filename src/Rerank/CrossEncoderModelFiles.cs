using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// The files of a Hugging Face style model directory the cross-encoder needs, and the few config.json fields it checks.
/// Pure lookup and parsing: no model is loaded here.
/// </summary>
internal sealed record CrossEncoderModelFiles(string Directory, string ModelPath, string ConfigPath, int? VocabSize,
    int? MaxPositionEmbeddings, bool ExactMatch, int? RecordedMaxLength, int? Labels, ScoreActivation Activation)
{
    public const string TokenizerConfigFile = "tokenizer_config.json";

    public static CrossEncoderModelFiles Locate(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: model directory not found");
        var model = OnnxPath(directory);
        var config = Path.Combine(directory, "config.json");
        if (!File.Exists(config))
            throw new FileNotFoundException($"{config}: not found (a model directory needs config.json)", config);

        int? vocabSize = null, maxPositions = null, labels = null;
        var exactMatch = false;
        var activation = ScoreActivation.Identity;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{config}: expected a JSON object");
            vocabSize = OptionalInt(doc.RootElement, "vocab_size", config);
            maxPositions = OptionalInt(doc.RootElement, "max_position_embeddings", config);
            labels = OptionalInt(doc.RootElement, "num_labels", config)
                     ?? (doc.RootElement.TryGetProperty("id2label", out var id2label) && id2label.ValueKind == JsonValueKind.Object
                         ? id2label.EnumerateObject().Count() : null);
            activation = ReadActivation(doc.RootElement, config);
            if (doc.RootElement.TryGetProperty("exact_match", out var em))
            {
                exactMatch = em.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False or JsonValueKind.Null => false,
                    _ => throw new InvalidDataException($"{config}: field 'exact_match' must be true or false, got {em.GetRawText()}"),
                };
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{config}:{JsonErrors.Line(ex)}: invalid JSON: {JsonErrors.Reason(ex)}", ex);
        }

        return new CrossEncoderModelFiles(directory, model, config, vocabSize, maxPositions, exactMatch, ModelMaxLength(directory, maxPositions),
            labels, activation);
    }

    /// <summary>
    /// The activation sentence-transformers saved: <c>sentence_transformers.activation_fn</c> (v4) or
    /// <c>sbert_ce_default_activation_function</c> (v2–v3), a class path such as <c>torch.nn.modules.activation.Sigmoid</c>.
    /// </summary>
    private static ScoreActivation ReadActivation(JsonElement root, string path)
    {
        string field = "sentence_transformers.activation_fn";
        JsonElement value = default;
        bool found = root.TryGetProperty("sentence_transformers", out var st) && st.ValueKind == JsonValueKind.Object
                     && st.TryGetProperty("activation_fn", out value);
        if (!found)
        {
            field = "sbert_ce_default_activation_function";
            found = root.TryGetProperty(field, out value);
        }
        if (!found || value.ValueKind == JsonValueKind.Null)
            return ScoreActivation.Identity;
        string name = value.ValueKind == JsonValueKind.String ? value.GetString()!.Split('.')[^1] : "";
        return name switch
        {
            "Identity" => ScoreActivation.Identity,
            "Sigmoid" => ScoreActivation.Sigmoid,
            "Softmax" => ScoreActivation.Softmax,
            _ => throw new InvalidDataException($"{path}: field '{field}' must name Identity, Sigmoid or Softmax, got {value.GetRawText()}"),
        };
    }

    /// <summary>
    /// The pair length the folder records, as Hugging Face and sentence-transformers do: <c>model_max_length</c> of
    /// tokenizer_config.json (SearchRerank's trainer writes the length it trained at). Tokenizers that set no real limit
    /// write a huge sentinel there (1e30); a value above max_position_embeddings is read as "no recorded length".
    /// </summary>
    private static int? ModelMaxLength(string directory, int? maxPositions)
    {
        var path = Path.Combine(directory, TokenizerConfigFile);
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("model_max_length", out var value)
                || value.ValueKind != JsonValueKind.Number)
                return null;
            if (!value.TryGetInt64(out var length) || length > (maxPositions ?? 512))
                return null;
            return length >= 4 ? (int)length
                : throw new InvalidDataException($"{path}: field 'model_max_length' must be at least 4 ([CLS] q [SEP] d [SEP]), got {length}");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{JsonErrors.Line(ex)}: invalid JSON: {JsonErrors.Reason(ex)}", ex);
        }
    }

    /// <summary>model.onnx, else onnx/model.onnx (the Optimum / transformers.js layout).</summary>
    public static string OnnxPath(string directory) =>
        new[] { Path.Combine(directory, "model.onnx"), Path.Combine(directory, "onnx", "model.onnx") }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{directory}: no model.onnx or onnx/model.onnx (export the model to ONNX first)");

    private static int? OptionalInt(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n <= 0)
            throw new InvalidDataException($"{path}: field '{name}' must be a positive integer, got {value.GetRawText()}");
        return n;
    }
}
