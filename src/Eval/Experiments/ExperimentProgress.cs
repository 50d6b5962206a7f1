namespace SearchRerank.Eval.Experiments;

/// <summary>Progress of an experiment: which system is running and how many of its queries are done.</summary>
internal sealed record ExperimentProgress(string System, int SystemIndex, int SystemCount, int QueriesDone, int QueryCount);
