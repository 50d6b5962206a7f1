namespace SearchRerank.Train.Recipes;

/// <summary>
/// A stage's training data. Paths are absolute (the reader resolves them against the recipe's folder);
/// null paths fall back to the command line's --queries/--qrels/--teacher.
/// </summary>
/// <param name="Corpus">BEIR corpus.jsonl whose titles are the weak-supervision queries.</param>
/// <param name="MaxQueries">Cap on the number of training queries (weak supervision: documents), 0 = all.</param>
public sealed record StageData(DataSource Source, string? Queries, string? Qrels, string? Teacher, string? Corpus, int MaxQueries);
