// SearchRerank: tokenizer.json "Sequence" of normalizers.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Applies its normalizers one after the other.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var normalizer in normalizers)
            text = normalizer.Normalize(text);
        return text;
    }

    public override string ToString() => $"Sequence[{string.Join(", ", normalizers)}]";
}
