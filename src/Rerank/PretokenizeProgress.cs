// SearchRerank: progress of building a DocumentTokenStore.
namespace SearchRerank.Rerank;

/// <summary>Documents tokenized and stored so far, and the WordPiece ids they produced.</summary>
public sealed record PretokenizeProgress(long Documents, long Tokens);
