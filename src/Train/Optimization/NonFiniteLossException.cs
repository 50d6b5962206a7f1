using SearchRerank.Core;

namespace SearchRerank.Train.Optimization;

/// <summary>
/// A micro-batch's loss or an accumulated gradient norm was NaN or infinite. Nothing of that optimizer step was
/// applied: the weights are as before the step and its accumulated gradients were dropped.
/// </summary>
internal sealed class NonFiniteLossException(string message) : SearchRerankException(message);
