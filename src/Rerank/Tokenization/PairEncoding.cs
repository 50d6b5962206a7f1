// SearchRerank: the model input for one (query, document) pair.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// A pair (or, from <c>HuggingFaceTokenizer.Encode</c>, one text) in the tokenizer's template as ids
/// with their token type ids: for BERT <c>[CLS] query [SEP] document [SEP]</c>, type 0 for <c>[CLS]</c>, the query and
/// the first <c>[SEP]</c>, 1 for the document and the last <c>[SEP]</c>; RoBERTa, XLM-R and T5 templates give every
/// token type 0. Nothing is padded, so the attention mask is all ones.
/// <paramref name="Truncated"/> says the untruncated input did not fit the maximum length.
/// </summary>
internal sealed record PairEncoding(int[] InputIds, int[] TokenTypeIds, bool Truncated);
