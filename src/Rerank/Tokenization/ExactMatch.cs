// SearchRerank: the exact-match input channel of the cross-encoder.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Per-position exact-match flags fed to the model's exact-match embeddings (config.json <c>"exact_match": true</c>):
/// 1 for a non-special token whose id also occurs in the other segment (query vs document, told apart by the
/// token type ids), else 0. Special tokens ([CLS], [SEP], [PAD], [UNK], [MASK], …) are always 0: an unknown word
/// matching another unknown word says nothing.
/// </summary>
internal static class ExactMatch
{
    public static int[] Flags(PairEncoding encoding, BertTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Flags(encoding, tokenizer.IsSpecial);
    }

    public static int[] Flags(PairEncoding encoding, HuggingFace.HuggingFaceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Flags(encoding, tokenizer.IsSpecial);
    }

    private static int[] Flags(PairEncoding encoding, Func<int, bool> isSpecial)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var ids = encoding.InputIds;
        var types = encoding.TokenTypeIds;
        if (types.Length != ids.Length)
            throw new ArgumentException($"PairEncoding has {ids.Length} input ids but {types.Length} token type ids.", nameof(encoding));

        var query = new HashSet<int>();
        var document = new HashSet<int>();
        for (int i = 0; i < ids.Length; i++)
        {
            if (!isSpecial(ids[i]))
                (types[i] == 0 ? query : document).Add(ids[i]);
        }
        var flags = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (!isSpecial(ids[i]) && (types[i] == 0 ? document : query).Contains(ids[i]))
                flags[i] = 1;
        }
        return flags;
    }
}
