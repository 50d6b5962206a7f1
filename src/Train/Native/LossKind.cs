// SearchRerank — the training objectives the engine implements.
namespace SearchRerank.Train.Native;

/// <summary>Mirrors srt_loss in srtrain.h; keep in sync. Scores s are the model logits, labels t the targets.</summary>
public enum LossKind
{
    /// <summary>Pointwise binary cross-entropy with logits; labels in [0, 1]; mean over pairs.</summary>
    BinaryCrossEntropy = 0,
    /// <summary>Localized contrastive estimation (Gao et al., ECIR 2021): softmax cross-entropy per group, the first pair is the positive.</summary>
    LocalizedContrastive = 1,
    /// <summary>RankNet (Burges et al., ICML 2005): per group, log(1+exp(−(s_i−s_j))) over pairs with t_i &gt; t_j; mean over pairs.</summary>
    RankNet = 2,
    /// <summary>Listwise distillation: KL(softmax(t/T) ‖ softmax(s/T)) per group.</summary>
    ListwiseKl = 3,
    /// <summary>Margin-MSE (Hofstätter et al., 2020): ((s_0−s_j) − (t_0−t_j))² for j ≥ 1 in each group.</summary>
    MarginMse = 4,
}
