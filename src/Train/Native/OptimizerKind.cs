// SearchRerank — optimizer choice.
namespace SearchRerank.Train.Native;

/// <summary>Mirrors srt_optimizer; keep in sync. Sgd (p −= lr·grad) exists for gradient checks against references.</summary>
public enum OptimizerKind
{
    AdamW = 0,
    Sgd = 1,
}
