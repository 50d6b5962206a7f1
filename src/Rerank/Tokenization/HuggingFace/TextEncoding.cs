// SearchRerank: the model input for one text or one pair, as Hugging Face returns it.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Ids with the template's special tokens and their token type ids; nothing is padded, so the attention mask is all
/// ones. <paramref name="Truncated"/>: the untruncated input did not fit the maximum length.
/// </summary>
public sealed record TextEncoding(int[] InputIds, int[] TokenTypeIds, bool Truncated);
