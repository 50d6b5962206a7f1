using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertModel</c>: embeddings, encoder, pooler. The attention mask becomes the additive
/// (1 − mask)·float32.min of <c>get_extended_attention_mask</c>: finite, so even a fully masked row softmaxes to a
/// uniform distribution instead of NaN. Returns the pooled [CLS] vector, [batch, hidden]; <see cref="Sequence"/> is the
/// last layer's hidden state of every token (what a masked-LM head reads).
/// </summary>
public sealed class BertModel : nn.Module<BertInputs, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;

    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = new BertPooler(config);
        RegisterComponents();
    }

    /// <summary>The tied masked-LM decoder's weight: the word embedding table [vocab, hidden].</summary>
    public Parameter WordEmbeddings => embeddings.WordEmbeddings;

    public override Tensor forward(BertInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        return pooler.call(Sequence(inputs)).MoveToOuterDisposeScope();
    }

    /// <summary>The last layer's hidden states, [batch, sequence, hidden].</summary>
    public Tensor Sequence(BertInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = embeddings.call(inputs);
        Tensor? mask = inputs.AttentionMask is { } m
            ? ((1.0f - m.to(hidden.dtype)) * float.MinValue).view(m.shape[0], 1, 1, m.shape[1])
            : null;
        return encoder.call(hidden, mask).MoveToOuterDisposeScope();
    }
}
