namespace SearchRerank.Train.Sampling;

/// <summary>
/// A query with its judged positives and its negative pool (the first stage's top-depth minus every positive),
/// both in first-stage order. <see cref="MaxScore"/>/<see cref="MinScore"/> span the first-stage list, for the
/// curriculum's normalised-score heuristic. A <see cref="TitleQuery"/> is a document's title (weak supervision): its
/// pairs show documents without their titles, or the positive would hold the query word for word.
/// </summary>
internal sealed record TrainingQuery(string Id, string Text, IReadOnlyList<Candidate> Positives, IReadOnlyList<Candidate> Negatives, double MinScore, double MaxScore, bool TitleQuery = false);
