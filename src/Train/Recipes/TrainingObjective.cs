namespace SearchRerank.Train.Recipes;

/// <summary>
/// Training objective of one stage; the loss itself is computed by the native engine.
/// Keep the names in sync with <see cref="ObjectiveNames"/> (recipe spelling) and the engine's objective codes.
/// </summary>
public enum TrainingObjective
{
    /// <summary>Pointwise binary cross-entropy on logits: positive label 1, negatives 0.</summary>
    Bce,

    /// <summary>Localized contrastive estimation (stage "C"): softmax cross-entropy over 1 positive + N BM25 negatives (Gao et al., ECIR 2021).</summary>
    Lce,

    /// <summary>RankNet over all pairs ordered by a teacher's ranking (stage "D"), labels max_rank − rank + 1 (Burges et al., ICML 2005).</summary>
    RankNet,

    /// <summary>Listwise KL divergence between softmax(teacher scores) and softmax(student logits).</summary>
    ListKl,

    /// <summary>MarginMSE: squared error between student and teacher score margins to the list head (Hofstätter et al., 2020).</summary>
    MarginMse,

    /// <summary>Masked-language-model pre-training on the index's documents (BERT's 15 % masking, 80/10/10) with a tied head dropped at export.</summary>
    Mlm,
}
