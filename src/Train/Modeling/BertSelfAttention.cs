using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertSelfAttention</c> (absolute positions, "eager" attention): per head
/// softmax(QKᵀ/√d + mask)·V, the attention probabilities dropped out in training. The mask is additive,
/// (1 − attention_mask)·float32.min, broadcast as [batch, 1, 1, sequence].
/// </summary>
/// <remarks>
/// libtorch's <c>scaled_dot_product_attention</c> computes the same (within 1e-6 here) but was slower on this
/// workload, 7 % per training step and 20–25 % per padded scoring batch on the CPU (docs/training.md), so the
/// attention is written out.
/// </remarks>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Dropout dropout;
    private readonly long heads;
    private readonly long headSize;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        RegisterComponents();
    }

    /// <param name="hidden">[batch, sequence, hidden]</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence], or null when no position is masked.</param>
    public override Tensor forward(Tensor hidden, Tensor? additiveMask)
    {
        using var scope = torch.NewDisposeScope();
        long batch = hidden.shape[0], length = hidden.shape[1];
        Tensor Heads(Linear projection) => projection.call(hidden).view(batch, length, heads, headSize).transpose(1, 2);
        var scores = torch.matmul(Heads(query), Heads(key).transpose(-1, -2)) / Math.Sqrt(headSize);
        if (additiveMask is not null)
            scores = scores + additiveMask;
        var context = torch.matmul(dropout.call(scores.softmax(-1)), Heads(value));
        return context.transpose(1, 2).reshape(batch, length, heads * headSize).MoveToOuterDisposeScope();
    }
}
