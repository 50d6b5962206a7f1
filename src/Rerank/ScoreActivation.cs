// SearchRerank: what turns a classifier's logits into the relevance score.
namespace SearchRerank.Rerank;

/// <summary>
/// The activation sentence-transformers records in config.json (<c>sentence_transformers.activation_fn</c>, or the
/// older <c>sbert_ce_default_activation_function</c>) and TEI applies; none recorded is <see cref="Identity"/>, the raw logit.
/// </summary>
public enum ScoreActivation
{
    Identity,
    Sigmoid,
    Softmax,
}
