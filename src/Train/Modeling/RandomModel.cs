using SearchRerank.Core;
using SearchRerank.Train.Onnx;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// Creates a complete, untrained model directory (config.json, tokenizer files, model.safetensors,
/// model.onnx) with seeded random weights: the starting point of training from scratch, and a model of
/// any size for benchmarks.
/// </summary>
public static class RandomModel
{
    /// <summary>
    /// Writes the directory. <paramref name="vocabulary"/> is a vocab.txt file (a tokenizer_config.json beside
    /// it is copied too) or a directory holding the tokenizer files. vocab_size and pad_token_id always come
    /// from the vocabulary (its line count and the line of [PAD]), whatever the config says.
    /// </summary>
    /// <returns>The config as written.</returns>
    public static BertConfig Create(string directory, BertConfig config, string vocabulary, int seed, string configSource = "config")
    {
        var files = TokenizerSources(vocabulary);
        string vocabPath = files.Single(f => f.Name == "vocab.txt").From;
        var tokens = File.ReadAllLines(vocabPath);
        if (tokens.Length == 0)
            throw new DataFormatException(vocabPath, 0, "vocabulary is empty");
        int pad = Array.IndexOf(tokens, "[PAD]");
        config = config with { VocabSize = tokens.Length, PadTokenId = pad >= 0 ? pad : config.PadTokenId };
        config.Validate(configSource);

        Directory.CreateDirectory(directory);
        foreach (var (from, name) in files)
        {
            string to = Path.Combine(directory, name);
            if (Path.GetFullPath(from) != Path.GetFullPath(to))
                AtomicFile.WriteStream(to, stream =>
                {
                    using var input = File.OpenRead(from);
                    input.CopyTo(stream);
                });
        }
        var weights = BertInitializer.Create(config, seed);
        config.Write(Path.Combine(directory, BertOnnxExporter.ConfigFile));
        SafeTensors.Write(Path.Combine(directory, BertOnnxExporter.WeightsFile), weights);
        BertOnnxExporter.Export(config, weights, Path.Combine(directory, BertOnnxExporter.OnnxFile), "random weights");
        return config;
    }

    private static List<(string From, string Name)> TokenizerSources(string vocabulary)
    {
        if (Directory.Exists(vocabulary))
        {
            var found = ModelFolder.TokenizerFiles.Select(f => Path.Combine(vocabulary, f)).Where(File.Exists).Select(f => (f, Path.GetFileName(f))).ToList();
            if (!found.Any(f => f.Item2 == "vocab.txt"))
                throw new FileNotFoundException($"{vocabulary}: no vocab.txt in the tokenizer directory", Path.Combine(vocabulary, "vocab.txt"));
            return found;
        }
        if (!File.Exists(vocabulary))
            throw new FileNotFoundException($"{vocabulary}: vocabulary file not found", vocabulary);
        var files = new List<(string, string)> { (vocabulary, "vocab.txt") };
        string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(vocabulary))!, "tokenizer_config.json");
        if (File.Exists(beside))
            files.Add((beside, "tokenizer_config.json"));
        return files;
    }
}
