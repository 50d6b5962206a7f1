// SearchRerank: the model input for one (query, document) pair.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// <c>[CLS] query [SEP] document [SEP]</c> as ids, with token type 0 for <c>[CLS]</c>, the query and the first
/// <c>[SEP]</c>, 1 for the document and the last <c>[SEP]</c>. Nothing is padded, so the attention mask is all ones.
/// <paramref name="Truncated"/> says the untruncated pair did not fit the maximum length.
/// </summary>
public sealed record PairEncoding(int[] InputIds, int[] TokenTypeIds, bool Truncated);
