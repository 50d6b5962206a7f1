using System.Text.Json;
using SearchRerank.Rerank.Tokenization.HuggingFace;

namespace SearchRerank.Rerank;

/// <summary>
/// What a model folder is, for a user who brought one: its files, tokenizer (family, pipeline, templates, token type
/// ids), config.json (model type, labels, activation), and, when it loads, the ONNX inputs, the score head and the
/// maximum length <see cref="CrossEncoder.Load"/> would use. When it does not load, <see cref="Problem"/> is the one
/// error Load raises (naming the file and field), so nothing is ever scored by a folder this reports as broken.
/// </summary>
public sealed record ModelInspection(string Directory, IReadOnlyList<(string Field, string Value)> Facts, string? Problem)
{
    public bool Loads => Problem is null;

    public static ModelInspection Inspect(string directory)
    {
        var facts = new List<(string, string)>();
        string[] known = ["config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "model.onnx", "onnx/model.onnx"];
        var present = known.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
        facts.Add(("files", present.Count == 0 ? "none of " + string.Join(", ", known) : string.Join(", ", present)));

        try
        {
            var tokenizer = HuggingFaceTokenizer.FromDirectory(directory);
            facts.Add(("tokenizer", $"{tokenizer.Family} from {Path.GetFileName(tokenizer.Source)}: {tokenizer.Pipeline}"));
            facts.Add(("template", $"{tokenizer.SingleTemplate} / {tokenizer.PairTemplate} ({tokenizer.PostProcessor})"));
            facts.Add(("token type ids", tokenizer.UsesTokenTypeIds ? "the passage has type 1" : "all 0"));
            facts.Add(("vocabulary", $"{tokenizer.VocabularySize:N0} ids, pad id {tokenizer.PadId}"));
        }
        catch (Exception e) when (e is Core.DataFormatException or IOException or UnauthorizedAccessException)
        {
            facts.Add(("tokenizer", "cannot load: " + e.Message));
        }

        string config = Path.Combine(directory, "config.json");
        if (File.Exists(config))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(config));
                var root = document.RootElement;
                string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "-";
                facts.Add(("config", $"model_type {Text("model_type")}, architectures {Text("architectures").Replace("\n", "").Replace(" ", "")}, "
                                     + $"vocab_size {Text("vocab_size")}, max_position_embeddings {Text("max_position_embeddings")}"));
            }
            catch (JsonException e)
            {
                facts.Add(("config", "invalid JSON: " + e.Message));
            }
        }

        var notices = new List<CrossEncoderNotice>();
        try
        {
            using var encoder = CrossEncoder.Load(directory, new CrossEncoderOptions
            {
                Threads = 1,
                Notices = new Core.DirectProgress<CrossEncoderNotice>(notices.Add),
            });
            facts.Add(("inputs", string.Join(", ", encoder.InputNames)));
            facts.Add(("score", encoder.Head.ToString()));
            facts.Add(("max length", notices.FirstOrDefault(n => n.Kind == CrossEncoderNoticeKind.Setting)?.Message.Replace("max length ", "")
                                     ?? $"{encoder.MaxLength} tokens"));
            facts.Add(("model", CrossEncoder.ModelFile(directory)));
            return new ModelInspection(directory, facts, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ModelInspection(directory, facts, e.Message);
        }
    }
}
