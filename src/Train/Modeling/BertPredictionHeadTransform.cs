using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>transformers' <c>BertPredictionHeadTransform</c>: dense hidden → hidden, exact (erf) GELU, LayerNorm.</summary>
public sealed class BertPredictionHeadTransform : nn.Module<Tensor, Tensor>
{
    // Field names are the Hugging Face parameter names (cls.predictions.transform.dense.weight, …).
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;

    public BertPredictionHeadTransform(BertConfig config) : base(nameof(BertPredictionHeadTransform))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        return LayerNorm.call(nn.functional.gelu(dense.call(hidden))).MoveToOuterDisposeScope();
    }
}
