namespace SearchRerank.Rerank.Pretokenization;

/// <summary>
/// Outcome of <see cref="Pretokenizer.Run"/>: documents tokenized now, documents that already held ids of the same
/// tokenizer (left alone), ids stored, and the commits it took.
/// </summary>
internal sealed record PretokenizeSummary(long Tokenized, long AlreadyTokenized, long Tokens, int Commits, TimeSpan Elapsed);
