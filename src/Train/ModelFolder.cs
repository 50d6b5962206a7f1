using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SearchRerank.Core;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx;

namespace SearchRerank.Train;

/// <summary>
/// Writes a trained model as a Hugging Face style folder that <c>CrossEncoder.Load</c> reads: config.json,
/// model.safetensors, the tokenizer files of the recipe's tokenizer source, model.onnx (exported from the same
/// weights) and fusion.json. What re-ranking needs to score as the model was trained travels with it: the pair length
/// in tokenizer_config.json's <c>model_max_length</c> (read by the re-ranker, Hugging Face and sentence-transformers),
/// the exact-match channel in config.json and the model's inputs, the fusion weight in fusion.json. Every file is
/// written atomically, the ONNX file last but one and fusion.json last, so a folder with fusion.json is complete.
/// </summary>
internal static class ModelFolder
{
    public const string FusionFile = "fusion.json";

    /// <summary>
    /// α when the run validated nothing (no held-out queries, e.g. a label-free adaptation): the weight measured safe
    /// where fusion cannot be validated. SciFact models re-ranking Cranfield, 3 seeds: α 0.7 was at or above BM25 for
    /// every seed (0.3672–0.3739 vs 0.3511 nDCG@10), the cross-encoder alone (α 0) below it for every seed
    /// (docs/training.md, "What was tried").
    /// </summary>
    public const double UnvalidatedAlpha = SearchRerank.Rerank.ScoreFusion.OffDomainAlpha;
    internal static readonly string[] TokenizerFiles = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

    /// <param name="collection">The index trained on, recorded in fusion.json so that re-ranking another collection uses
    /// the off-domain weight instead of <paramref name="alpha"/> (<see cref="SearchRerank.Rerank.FusionChoice"/>).</param>
    public static void Write(string directory, BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights, string tokenizerSource,
        int maxLength, double alpha, SearchRerank.Search.CollectionFingerprint collection)
    {
        Directory.CreateDirectory(directory);
        string fusionPath = Path.Combine(directory, FusionFile);
        if (File.Exists(fusionPath))
            File.Delete(fusionPath);
        config.Write(Path.Combine(directory, BertOnnxExporter.ConfigFile));
        SafeTensors.Write(Path.Combine(directory, BertOnnxExporter.WeightsFile), weights);
        CopyTokenizer(tokenizerSource, directory);
        RecordMaxLength(directory, maxLength);
        BertOnnxExporter.Export(config, weights, Path.Combine(directory, BertOnnxExporter.OnnxFile), "trained weights");
        string json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"alpha\": {alpha:R}, \"normalization\": \"zscore\", \"collection\": {{\"documents\": {collection.Documents}, \"fingerprint\": \"{collection.Hash}\"}}}}\n");
        AtomicFile.WriteStream(fusionPath, stream => stream.Write(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>
    /// Writes <paramref name="target"/>, a new model folder whose model.onnx is <paramref name="source"/>'s ONNX model
    /// with int8 weights (<see cref="DynamicQuantizer"/>), beside copies of its config, tokenizer and fusion files.
    /// The weights file stays behind: exporting it again would silently replace the quantized model. The folder is
    /// assembled under a temporary name and renamed into place, so it appears complete or not at all.
    /// </summary>
    public static QuantizationSummary Quantize(string source, string target, DynamicQuantizationOptions? options = null)
    {
        string onnx = SearchRerank.Rerank.CrossEncoder.ModelFile(source);
        string configPath = Path.Combine(source, BertOnnxExporter.ConfigFile);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{configPath}: not found (a model directory needs config.json)", configPath);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() || File.Exists(target))
            throw new IOException($"{target}: already exists; choose a new --out folder");

        string full = Path.GetFullPath(target);
        string staging = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.partial-{Environment.ProcessId}");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            foreach (string name in TokenizerFiles.Append(BertOnnxExporter.ConfigFile).Append(FusionFile))
                if (File.Exists(Path.Combine(source, name)))
                    File.Copy(Path.Combine(source, name), Path.Combine(staging, name));
            var summary = DynamicQuantizer.Quantize(onnx, Path.Combine(staging, BertOnnxExporter.OnnxFile), options);
            if (Directory.Exists(full))
                Directory.Delete(full);
            Directory.Move(staging, full);
            return summary;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>Sets <c>model_max_length</c> in the folder's tokenizer_config.json (created when the tokenizer source had none).</summary>
    private static void RecordMaxLength(string directory, int maxLength)
    {
        string path = Path.Combine(directory, "tokenizer_config.json");
        JsonObject settings;
        try
        {
            settings = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new DataFormatException(path, 0, "expected a JSON object") : new JsonObject();
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, JsonErrors.Line(ex), $"invalid JSON: {JsonErrors.Reason(ex)}");
        }
        settings["model_max_length"] = maxLength;
        AtomicFile.WriteAllText(path, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>
    /// A tokenizer folder contributes every tokenizer file it has; a single vocab.txt contributes itself and a
    /// tokenizer_config.json beside it, if any.
    /// </summary>
    private static void CopyTokenizer(string source, string directory)
    {
        var files = Directory.Exists(source)
            ? TokenizerFiles.Select(f => Path.Combine(source, f)).Where(File.Exists).Select(f => (From: f, Name: Path.GetFileName(f))).ToList()
            : [(source, "vocab.txt")];
        if (!Directory.Exists(source) && Path.Combine(Path.GetDirectoryName(source)!, "tokenizer_config.json") is var config && File.Exists(config))
            files.Add((config, "tokenizer_config.json"));
        foreach (var (from, name) in files)
        {
            string to = Path.Combine(directory, name);
            if (Path.GetFullPath(from) == Path.GetFullPath(to))
                continue;
            AtomicFile.WriteStream(to, stream =>
            {
                using var input = File.OpenRead(from);
                input.CopyTo(stream);
            });
        }
    }
}
