namespace SearchRerank.Train.Recipes;

/// <summary>
/// A stage's training data. Paths are absolute (the reader resolves them against the recipe's folder);
/// null paths fall back to the command line's --queries/--qrels/--teacher.
/// </summary>
/// <param name="Corpus">BEIR corpus.jsonl whose titles are the weak-supervision queries (source weak, or mixed in by <see cref="WeakQueries"/>).</param>
/// <param name="MaxQueries">Cap on the number of training queries (weak supervision: documents), 0 = all.</param>
/// <param name="SelfTeacher">
/// The teacher is the run's own ranker as the stage starts (recipe spelling <c>"teacher": "self"</c>): BM25 fused with
/// the cross-encoder of the previous stage, ranked in-process over the training queries (<see cref="Teacher"/> is null).
/// </param>
/// <param name="TeacherAlpha">The self teacher's fusion weight of BM25; null: tuned on the validation queries.</param>
/// <param name="WeakQueries">
/// Title queries of <see cref="Corpus"/> mixed into a judged (qrels) stage, 0 = none: every epoch visits them beside the
/// judged queries, so the index's other documents are positives too and "was a judged positive" stops separating
/// the positive from its negatives.
/// </param>
public sealed record StageData(DataSource Source, string? Queries, string? Qrels, string? Teacher, string? Corpus, int MaxQueries, bool SelfTeacher, double? TeacherAlpha, int WeakQueries = 0);
