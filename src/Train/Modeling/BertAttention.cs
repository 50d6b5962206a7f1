using SearchRerank.Train.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>transformers' <c>BertAttention</c>: self-attention, then its output projection with residual and LayerNorm.</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertOutput output;

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor? additiveMask)
    {
        using var scope = torch.NewDisposeScope();
        return output.call(self.call(hidden, additiveMask), hidden).MoveToOuterDisposeScope();
    }
}
