using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Recipes;
using static TorchSharp.torch;

namespace SearchRerank.Train;

/// <summary>
/// The recipe's starting point: its tokenizer, its config (from <see cref="ModelSpec.Config"/> or the
/// <see cref="ModelSpec.Init"/> folder, with the recipe's exact-match choice), and the model, freshly initialised for
/// the seed or loaded from a Hugging Face checkpoint folder.
/// </summary>
internal static class StartingModel
{
    public static BertTokenizer Tokenizer(ModelSpec spec)
    {
        if (Directory.Exists(spec.Tokenizer))
            return BertTokenizer.FromDirectory(spec.Tokenizer);
        string config = Path.Combine(Path.GetDirectoryName(spec.Tokenizer)!, "tokenizer_config.json");
        return BertTokenizer.FromVocabulary(spec.Tokenizer, File.Exists(config) ? config : null);
    }

    public static BertConfig Config(ModelSpec spec, BertTokenizer tokenizer)
    {
        string path = spec.Init is { } init ? Path.Combine(init, "config.json")
            : Directory.Exists(spec.Config) ? Path.Combine(spec.Config!, "config.json") : spec.Config!;
        var config = BertConfig.Read(path);
        if (spec.ExactMatch is { } exact)
            config = config with { ExactMatch = exact };
        if (config.VocabSize < tokenizer.VocabularySize)
            throw new TrainingException($"{path}: vocab_size {config.VocabSize} is smaller than the tokenizer's {tokenizer.VocabularySize} tokens ({spec.Tokenizer})");
        return config;
    }

    /// <summary>
    /// The model on <paramref name="device"/>. A checkpoint without the exact-match embedding may seed a model that has
    /// one: that tensor keeps its seeded initialisation and everything else is taken over.
    /// </summary>
    public static BertForSequenceClassification Create(ModelSpec spec, BertConfig config, long seed, Device device)
    {
        var model = BertForSequenceClassification.Create(config, seed, device);
        if (spec.Init is not { } folder)
            return model;
        try
        {
            string path = Path.Combine(folder, "model.safetensors");
            if (!File.Exists(path))
                throw new TrainingException($"{folder}: model.safetensors not found (model.init must be a Hugging Face checkpoint folder)");
            var tensors = new Dictionary<string, NamedTensor>(SafeTensors.Read(path), StringComparer.Ordinal);
            tensors.Remove("bert.embeddings.position_ids");
            var seeded = model.Weights();
            if (config.ExactMatch && !tensors.ContainsKey(BertParameters.ExactMatchEmbeddings))
                tensors[BertParameters.ExactMatchEmbeddings] = seeded[BertParameters.ExactMatchEmbeddings];
            try
            {
                model.LoadWeights(tensors, path);
            }
            catch (SearchRerank.Core.DataFormatException ex)
            {
                throw new TrainingException(ex.Message, ex);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
