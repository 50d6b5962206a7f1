namespace SearchRerank.Train.Sampling;

/// <summary>
/// BERT's masked-LM corruption (Devlin et al. 2019; transformers' <c>DataCollatorForLanguageModeling</c>): every
/// non-special token is selected with probability 0.15; a selected token becomes [MASK] with probability 0.8, a token
/// drawn uniformly from the vocabulary with 0.1, and stays itself with 0.1. The label of a selected position is its
/// original id, every other position is <see cref="Ignored"/>. Special tokens ([CLS], [SEP], [PAD], …) are never selected.
/// </summary>
internal static class BertMasking
{
    public const double SelectRate = 0.15;
    public const double MaskRate = 0.8;
    public const double RandomRate = 0.1;

    /// <summary>The label of a position the loss ignores (PyTorch's cross-entropy default ignore_index).</summary>
    public const int Ignored = -100;

    /// <summary>The corrupted ids and the labels of <paramref name="ids"/>, drawn from <paramref name="random"/> alone.</summary>
    public static (int[] Inputs, int[] Labels) Mask(IReadOnlyList<int> ids, Func<int, bool> isSpecial, int maskId, int vocabularySize, SplitMix64 random)
    {
        var inputs = new int[ids.Count];
        var labels = new int[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            int id = ids[i];
            inputs[i] = id;
            labels[i] = Ignored;
            if (isSpecial(id) || random.NextDouble() >= SelectRate)
                continue;
            labels[i] = id;
            double action = random.NextDouble();
            if (action < MaskRate)
                inputs[i] = maskId;
            else if (action < MaskRate + RandomRate)
                inputs[i] = random.Next(vocabularySize);
        }
        return (inputs, labels);
    }
}
