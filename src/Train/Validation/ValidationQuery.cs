using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Validation;

/// <summary>A held-out query and the first stage's candidates the model re-ranks (BM25 top-depth, first-stage order).</summary>
internal sealed record ValidationQuery(string Id, string Text, IReadOnlyList<Candidate> Candidates);
