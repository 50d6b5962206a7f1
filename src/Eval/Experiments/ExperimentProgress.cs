namespace SearchRerank.Eval.Experiments;

/// <summary>Progress of an experiment: which system is running and how many of its queries are done.</summary>
public sealed record ExperimentProgress(string System, int SystemIndex, int SystemCount, int QueriesDone, int QueryCount);
