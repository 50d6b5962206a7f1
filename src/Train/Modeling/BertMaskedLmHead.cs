using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertLMPredictionHead</c> (<c>cls.predictions</c> of <c>BertForMaskedLM</c>): the transform, then a
/// decoder whose weight is the model's word embedding table itself (tied: one tensor, so the decoder's gradient lands
/// in the embeddings) plus a bias of its own. It lives beside a <see cref="BertForSequenceClassification"/> for a
/// masked-LM stage only: its own parameters are not the model's, so the model's weights, model folder and ONNX export
/// never hold a <c>cls.predictions.*</c> tensor. Initialised as transformers' <c>_init_weights</c> does (dense
/// N(0, initializer_range), biases 0, LayerNorm 1/0), deterministically for a seed.
/// </summary>
public sealed class BertMaskedLmHead : nn.Module<Tensor, Tensor>
{
    public const string Prefix = "cls.predictions.";

    // Field names are the Hugging Face parameter names under cls.predictions.
    private readonly BertPredictionHeadTransform transform;
    private readonly Parameter bias;
    private readonly Parameter decoder;

    public BertMaskedLmHead(BertForSequenceClassification model, long seed) : base(nameof(BertMaskedLmHead))
    {
        var config = model.Config;
        transform = new BertPredictionHeadTransform(config);
        bias = nn.Parameter(torch.zeros(config.VocabSize));
        RegisterComponents();
        // Registered after the components, and as a plain field, so named_parameters() lists only the head's own tensors.
        decoder = model.WordEmbeddings;
        var dense = NamedTensor.Zeros(config.HiddenSize, config.HiddenSize);
        BertInitializer.FillNormal(dense.Data, config.InitializerRange, new Random(unchecked((int)(seed ^ (seed >>> 32)))));
        using (torch.no_grad())
        using (var weight = torch.tensor(dense.Data, dense.Shape, ScalarType.Float32))
            get_parameter("transform.dense.weight")!.copy_(weight);
        if (model.Device.type != DeviceType.CPU)
            this.to(model.Device);
    }

    /// <summary>The decoder's weight: the very parameter that is the model's word embedding table.</summary>
    public Parameter DecoderWeight => decoder;

    /// <summary>The head's own parameters by their Hugging Face names (<c>cls.predictions.…</c>); the tied decoder weight is not among them.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> OwnParameters =>
        named_parameters().Select(p => (Prefix + p.name, p.parameter)).ToArray();

    /// <summary>Vocabulary logits [n, vocab] of hidden states [n, hidden].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        return nn.functional.linear(transform.call(hidden), decoder, bias).MoveToOuterDisposeScope();
    }
}
