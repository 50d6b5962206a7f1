using SearchRerank.Eval.Reports;

namespace SearchRerank.Eval.Experiments;

/// <summary>What an experiment produced: the report data, the wall-clock retrieval time per system and the files written.</summary>
public sealed record ExperimentResult(
    EvaluationReport Report,
    IReadOnlyDictionary<string, TimeSpan> RetrievalTimes,
    IReadOnlyList<string> Files);
