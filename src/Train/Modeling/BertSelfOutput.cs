using SearchRerank.Train.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>transformers' <c>BertSelfOutput</c>: dense, dropout, residual, LayerNorm (post-LN).</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertSelfOutput(BertConfig config) : base(nameof(BertSelfOutput))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor context, Tensor residual)
    {
        using var scope = torch.NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(context)) + residual).MoveToOuterDisposeScope();
    }
}
