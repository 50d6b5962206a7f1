namespace SearchRerank.Search.Index;

/// <summary>Documents visited so far by <see cref="Indexer.Pretokenize"/> (tokenized or already holding ids), and the ids stored.</summary>
public sealed record PretokenizeProgress(long Documents, long Tokens);
