// SearchRerank: an entry of tokenizer.json "added_tokens".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// An added token and its matching rules: <paramref name="Normalized"/> tokens are found in normalized text, others in
/// the raw text; <paramref name="LStrip"/>/<paramref name="RStrip"/> swallow the whitespace on that side (RoBERTa's
/// <c>&lt;mask&gt;</c>); <paramref name="SingleWord"/> tokens only match between non-word characters.
/// </summary>
internal sealed record AddedTokenSpec(string Content, int Id, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized);
