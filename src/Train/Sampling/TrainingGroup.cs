namespace SearchRerank.Train.Sampling;

/// <summary>
/// One training group: a query and GroupSize documents. For contrastive/pointwise groups the positive comes first
/// and labels are 1, 0, 0 …; for teacher groups documents follow the teacher's order and labels are the RankNet
/// grades (max_rank − rank + 1) or the teacher's scores. <see cref="Difficulty"/> is the curriculum's D in [0, 1]
/// (1 = easy; 1 when no curriculum). <see cref="TextOnly"/>: the documents are encoded without their titles (the query
/// is a title, <see cref="TrainingQuery.TitleQuery"/>).
/// </summary>
internal sealed record TrainingGroup(string QueryId, string Query, IReadOnlyList<string> DocIds, float[] Labels, double Difficulty, bool TextOnly = false);
