// SearchRerank: a token of the added vocabulary.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>An added token: cut out of raw text (exact case) and never split. Special ones get exact-match flag 0.</summary>
internal sealed record AddedToken(string Content, int Id, bool Special);
