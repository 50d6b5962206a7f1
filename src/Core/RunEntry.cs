namespace SearchRerank.Core;

/// <summary>One retrieved document of a run with the score the system gave it.</summary>
public sealed record RunEntry(string DocId, double Score);
