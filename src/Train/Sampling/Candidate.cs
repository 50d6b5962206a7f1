namespace SearchRerank.Train.Sampling;

/// <summary>A document as the first stage saw it for one query: rank from 1 (0 = not in the first stage's list) and score.</summary>
internal sealed record Candidate(string DocId, int Rank, double Score);
