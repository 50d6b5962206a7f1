namespace SearchRerank.Train.Modeling;

/// <summary>
/// Random weights for a fresh cross-encoder, following transformers' <c>BertPreTrainedModel._init_weights</c>:
/// Linear and Embedding weights ~ N(0, initializer_range), biases 0, the [PAD] row of the word embeddings 0,
/// LayerNorm weight 1 and bias 0. Deterministic for a seed (System.Random's seeded generator is stable
/// across .NET versions and platforms); the values differ from PyTorch's generator, only the distribution matches.
/// </summary>
public static class BertInitializer
{
    public static Dictionary<string, NamedTensor> Create(BertConfig config, int seed)
    {
        config.Validate();
        var random = new Random(seed);
        var weights = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in BertParameters.Expected(config))
        {
            var tensor = NamedTensor.Zeros(shape);
            if (name.Contains(".LayerNorm.weight", StringComparison.Ordinal))
                tensor.Data.AsSpan().Fill(1f);
            else if (name.EndsWith(".weight", StringComparison.Ordinal))
                FillNormal(tensor.Data, config.InitializerRange, random);
            // Biases and LayerNorm biases stay zero.
            weights[name] = tensor;
        }
        var words = weights["bert.embeddings.word_embeddings.weight"].Data;
        words.AsSpan(config.PadTokenId * config.HiddenSize, config.HiddenSize).Clear();
        return weights;
    }

    // Box–Muller, both outputs used; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
    internal static void FillNormal(float[] data, double std, Random random)
    {
        for (int i = 0; i < data.Length; i += 2)
        {
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            data[i] = (float)(std * radius * Math.Cos(angle));
            if (i + 1 < data.Length)
                data[i + 1] = (float)(std * radius * Math.Sin(angle));
        }
    }
}
