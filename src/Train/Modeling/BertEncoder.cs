using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>transformers' <c>BertEncoder</c>: num_hidden_layers <see cref="BertLayer"/>s in order (<c>layer.0</c>, <c>layer.1</c>, …).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor? additiveMask)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var block in layer)
            hidden = block.call(hidden, additiveMask);
        return hidden.MoveToOuterDisposeScope();
    }
}
