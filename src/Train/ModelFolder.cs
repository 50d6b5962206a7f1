using SearchRerank.Evaluation;
using System.Globalization;
using System.Text;
using SearchRerank.Train.Model;
using SearchRerank.Train.Onnx;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// Writes a trained model as a Hugging Face style folder that <c>CrossEncoder.Load</c> reads: config.json,
/// model.safetensors, the tokenizer files of the recipe's tokenizer source, model.onnx (exported from the same
/// weights) and fusion.json. Every file is written atomically, the ONNX file last but one and fusion.json last,
/// so a folder with fusion.json is complete.
/// </summary>
public static class ModelFolder
{
    public const string FusionFile = "fusion.json";
    private static readonly string[] TokenizerFiles = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

    public static void Write(string directory, BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights, string tokenizerSource, FusionResult? fusion)
    {
        Directory.CreateDirectory(directory);
        string fusionPath = Path.Combine(directory, FusionFile);
        if (File.Exists(fusionPath))
            File.Delete(fusionPath);
        config.Write(Path.Combine(directory, BertOnnxExporter.ConfigFile));
        SafeTensors.Write(Path.Combine(directory, BertOnnxExporter.WeightsFile), weights);
        CopyTokenizer(tokenizerSource, directory);
        BertOnnxExporter.Export(config, weights, Path.Combine(directory, BertOnnxExporter.OnnxFile), "trained weights");
        // Without validation there is nothing to tune α on: the cross-encoder alone (α = 0).
        double alpha = fusion?.Alpha ?? 0;
        string json = string.Create(CultureInfo.InvariantCulture, $"{{\"alpha\": {alpha:R}, \"normalization\": \"zscore\"}}\n");
        AtomicFile.WriteStream(fusionPath, stream => stream.Write(Encoding.UTF8.GetBytes(json)));
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
