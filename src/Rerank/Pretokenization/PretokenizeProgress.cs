namespace SearchRerank.Rerank.Pretokenization;

/// <summary>Documents visited so far by <see cref="Pretokenizer.Run"/> (tokenized or already holding ids), and the ids stored.</summary>
internal sealed record PretokenizeProgress(long Documents, long Tokens);
