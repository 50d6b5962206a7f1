using SearchRerank.Core;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// The parameter names and shapes of a Hugging Face <c>BertForSequenceClassification</c> for a config,
/// in the layout transformers uses (Linear weights <c>[out, in]</c>), plus the exact-match embedding when
/// the config enables it. The one place that knows the naming scheme; loaders check weights against it.
/// </summary>
public static class BertParameters
{
    public const string ExactMatchEmbeddings = "bert.embeddings.exact_match_embeddings.weight";

    // A buffer (0..max_position-1), not a parameter; transformers before 4.31 saved it with the weights.
    private const string PositionIdsBuffer = "bert.embeddings.position_ids";

    /// <summary>Every parameter in the order transformers' <c>model.modules()</c> visits them (the order random init consumes the generator).</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(BertConfig config)
    {
        long h = config.HiddenSize, inner = config.IntermediateSize;
        var list = new List<(string, long[])>
        {
            ("bert.embeddings.word_embeddings.weight", [config.VocabSize, h]),
            ("bert.embeddings.position_embeddings.weight", [config.MaxPositionEmbeddings, h]),
            ("bert.embeddings.token_type_embeddings.weight", [config.TypeVocabSize, h]),
        };
        if (config.ExactMatch)
            list.Add((ExactMatchEmbeddings, [2, h]));
        list.Add(("bert.embeddings.LayerNorm.weight", [h]));
        list.Add(("bert.embeddings.LayerNorm.bias", [h]));
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string layer = $"bert.encoder.layer.{i}";
            foreach (string part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                list.Add(($"{layer}.{part}.weight", [h, h]));
                list.Add(($"{layer}.{part}.bias", [h]));
            }
            list.Add(($"{layer}.attention.output.LayerNorm.weight", [h]));
            list.Add(($"{layer}.attention.output.LayerNorm.bias", [h]));
            list.Add(($"{layer}.intermediate.dense.weight", [inner, h]));
            list.Add(($"{layer}.intermediate.dense.bias", [inner]));
            list.Add(($"{layer}.output.dense.weight", [h, inner]));
            list.Add(($"{layer}.output.dense.bias", [h]));
            list.Add(($"{layer}.output.LayerNorm.weight", [h]));
            list.Add(($"{layer}.output.LayerNorm.bias", [h]));
        }
        list.Add(("bert.pooler.dense.weight", [h, h]));
        list.Add(("bert.pooler.dense.bias", [h]));
        list.Add(("classifier.weight", [config.NumLabels, h]));
        list.Add(("classifier.bias", [config.NumLabels]));
        return list;
    }

    /// <summary>
    /// Reads a model.safetensors for <paramref name="config"/>: checks every parameter and returns exactly the
    /// expected ones, dropping the <c>position_ids</c> buffer that older transformers versions saved.
    /// </summary>
    public static Dictionary<string, NamedTensor> Read(BertConfig config, string safetensorsPath)
    {
        var weights = SafeTensors.Read(safetensorsPath);
        Check(config, weights, safetensorsPath);
        return Expected(config).ToDictionary(p => p.Name, p => weights[p.Name], StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks that <paramref name="weights"/> hold every expected parameter with the expected shape.
    /// Extra entries are tolerated only when listed as buffers transformers may save (position_ids).
    /// </summary>
    /// <param name="source">Named in the error message, usually the safetensors path.</param>
    public static void Check(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights, string source)
    {
        var expected = Expected(config);
        foreach (var (name, shape) in expected)
        {
            if (!weights.TryGetValue(name, out var tensor))
                throw new DataFormatException(source, 0, $"tensor '{name}' is missing (config: {Describe(config)})");
            if (!tensor.HasShape(shape))
                throw new DataFormatException(source, 0, $"tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], config expects [{string.Join(", ", shape)}]");
        }
        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string name in weights.Keys)
            if (!known.Contains(name) && name != PositionIdsBuffer)
                throw new DataFormatException(source, 0, $"unexpected tensor '{name}' (config: {Describe(config)})");
    }

    private static string Describe(BertConfig c) =>
        $"{c.NumHiddenLayers} layers, hidden {c.HiddenSize}, exact_match {(c.ExactMatch ? "true" : "false")}";
}
