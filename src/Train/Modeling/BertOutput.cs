using SearchRerank.Train.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>transformers' <c>BertOutput</c>: dense back to hidden_size, dropout, residual, LayerNorm (post-LN).</summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertOutput(BertConfig config) : base(nameof(BertOutput))
    {
        dense = nn.Linear(config.IntermediateSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor intermediate, Tensor residual)
    {
        using var scope = torch.NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(intermediate)) + residual).MoveToOuterDisposeScope();
    }
}
