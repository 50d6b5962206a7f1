// SearchRerank: one relevance score out of a sequence-classification model's logits.
using MathF = System.MathF;

namespace SearchRerank.Rerank;

/// <summary>
/// How a sequence-classification export's logits become one score per pair. One label: the logit, or its sigmoid.
/// Two labels (cross-encoders exported with <c>num_labels = 2</c>, label 1 = relevant): the positive class's logit, its
/// sigmoid, or with softmax the positive class's probability, sigmoid(l₁ − l₀). Every choice is monotonic in the
/// model's evidence, so rankings agree; the activation matters for fusion, which sees score magnitudes.
/// </summary>
public sealed record RelevanceHead(int Labels, ScoreActivation Activation)
{
    /// <summary>The score of one pair from its <see cref="Labels"/> logits.</summary>
    public float Score(ReadOnlySpan<float> logits)
    {
        float positive = logits[Labels - 1];
        return Activation switch
        {
            ScoreActivation.Sigmoid => Sigmoid(positive),
            ScoreActivation.Softmax when Labels == 2 => Sigmoid(logits[1] - logits[0]),
            ScoreActivation.Softmax => 1f,
            _ => positive,
        };
    }

    /// <summary>
    /// A score of this head as a relevance in (0, 1), the scale the re-rank APIs report: the sigmoid of a raw logit (as
    /// sentence-transformers' default activation and TEI apply it); a score the head already squashed, unchanged, so
    /// a model exported with a sigmoid or softmax is not squashed twice.
    /// </summary>
    public float Relevance(float score) => Activation == ScoreActivation.Identity ? Sigmoid(score) : score;

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public override string ToString() => (Labels, Activation) switch
    {
        (1, ScoreActivation.Identity) => "the raw logit (one label)",
        (1, ScoreActivation.Sigmoid) => "sigmoid of the logit (one label)",
        (1, _) => "softmax of one label (always 1)",
        (_, ScoreActivation.Identity) => $"the logit of label 1 of {Labels} (the positive class)",
        (_, ScoreActivation.Sigmoid) => $"sigmoid of the logit of label 1 of {Labels} (the positive class)",
        _ => $"softmax probability of label 1 of {Labels} (the positive class)",
    };
}
