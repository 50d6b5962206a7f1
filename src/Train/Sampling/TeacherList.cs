namespace SearchRerank.Train.Sampling;

/// <summary>A teacher's ranking for one query, best first, cut to the group size; scores as the teacher gave them.</summary>
internal sealed record TeacherList(string QueryId, string Text, IReadOnlyList<string> DocIds, IReadOnlyList<double> Scores);
