using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertSelfOutput</c> and <c>BertOutput</c>, which differ only in their input width: dense back to
/// hidden_size, dropout, residual, LayerNorm (post-LN). The attention block's has the hidden width, the feed-forward
/// block's the intermediate width.
/// </summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertOutput(BertConfig config, int inputSize) : base(nameof(BertOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = torch.NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(input)) + residual).MoveToOuterDisposeScope();
    }
}
