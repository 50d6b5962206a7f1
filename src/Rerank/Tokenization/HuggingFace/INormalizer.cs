// SearchRerank: one step of a Hugging Face tokenizer.json "normalizer".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// A normalizer of a Hugging Face fast tokenizer, applied to each stretch of text between added tokens. Only the
/// resulting text matters for the ids, so no alignment to the original is kept. Implementations are immutable and
/// thread-safe; <see cref="object.ToString"/> gives the tokenizer.json type and its settings.
/// </summary>
internal interface INormalizer
{
    string Normalize(string text);
}
