namespace SearchRerank.Search.Index;

/// <summary>
/// Outcome of <see cref="Indexer.Pretokenize"/>: documents tokenized now, documents that already held ids of the
/// same tokenizer (left alone), ids stored, and the commits it took.
/// </summary>
public sealed record PretokenizeSummary(long Tokenized, long AlreadyTokenized, long Tokens, int Commits, TimeSpan Elapsed);
