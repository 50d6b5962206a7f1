// SearchRerank: tokenizer.json "Prepend".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Puts a fixed string in front of any non-empty text (e.g. "▁" in Llama-style SentencePiece conversions).</summary>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;

    public override string ToString() => $"Prepend({prefix})";
}
