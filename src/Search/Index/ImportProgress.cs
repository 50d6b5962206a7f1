namespace SearchRerank.Search.Index;

/// <summary>Reported after each committed batch: documents written so far and the rate since the call started.</summary>
public sealed record ImportProgress(long Documents, int Batches, double DocumentsPerSecond);
