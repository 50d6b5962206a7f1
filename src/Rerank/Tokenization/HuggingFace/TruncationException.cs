// SearchRerank: a pair that a truncation strategy cannot fit.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Raised where Hugging Face tokenizers raise: the message is theirs (e.g. <c>Truncation error: Sequence to truncate too
/// short to respect the provided max_length</c>), so tooling comparing errors sees the same text.
/// </summary>
internal sealed class TruncationException(string message) : RerankException(message);
