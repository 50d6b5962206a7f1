// SearchRerank: one step of a Hugging Face tokenizer.json "pre_tokenizer".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Splits a piece of normalized text into smaller pieces (words), each of which the model tokenizes on its own.
/// Implementations are immutable and thread-safe; <see cref="object.ToString"/> gives the tokenizer.json type and settings.
/// </summary>
internal interface IPreTokenizer
{
    /// <summary>Appends the non-empty pieces of <paramref name="piece"/> to <paramref name="output"/>, in order.</summary>
    void Split(PreToken piece, List<PreToken> output);
}
