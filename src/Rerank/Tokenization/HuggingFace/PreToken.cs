// SearchRerank: a piece of text on its way through the pre-tokenizers.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// A piece of normalized text. <paramref name="AtStart"/>: it begins where the whole input begins, which Metaspace's
/// <c>prepend_scheme: "first"</c> asks.
/// </summary>
internal readonly record struct PreToken(string Text, bool AtStart);
