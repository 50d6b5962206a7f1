using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertForSequenceClassification</c> with one label, the cross-encoder this project trains: the
/// pooled [CLS] vector, dropout, a linear classifier; the logit is the relevance score. Submodule fields carry the
/// Hugging Face names, so <see cref="Weights"/> and <see cref="LoadWeights"/> map one to one onto model.safetensors
/// (<see cref="BertParameters"/>), including the optional <c>bert.embeddings.exact_match_embeddings.weight</c>.
/// </summary>
/// <remarks>
/// Owns its parameters (dispose it). Not thread-safe. Dropout draws from libtorch's process-wide generator.
/// </remarks>
public sealed class BertForSequenceClassification : nn.Module<BertInputs, Tensor>
{
    private readonly BertModel bert;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    private BertForSequenceClassification(BertConfig config) : base(nameof(BertForSequenceClassification))
    {
        config.Validate();
        Config = config;
        bert = new BertModel(config);
        // HF: classifier_dropout null → hidden_dropout_prob.
        dropout = nn.Dropout(config.HiddenDropoutProb);
        classifier = nn.Linear(config.HiddenSize, config.NumLabels);
        RegisterComponents();
    }

    public BertConfig Config { get; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device { get; private set; } = torch.CPU;

    /// <summary>
    /// A model with Hugging Face's initial weights for <paramref name="seed"/> (<see cref="BertInitializer"/>: the
    /// same weights <c>model init --seed</c> writes), on <paramref name="device"/>.
    /// </summary>
    public static BertForSequenceClassification Create(BertConfig config, long seed, Device? device = null)
    {
        var model = new BertForSequenceClassification(config);
        model.LoadWeights(BertInitializer.Create(config, unchecked((int)(seed ^ (seed >>> 32)))), "initial weights");
        if (device is not null && device.type != DeviceType.CPU)
        {
            model.to(device);
            model.Device = device;
        }
        return model;
    }

    /// <summary>Logits [batch]; autograd and dropout follow the caller's grad mode and <see cref="nn.Module.training"/>.</summary>
    public override Tensor forward(BertInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        return classifier.call(dropout.call(bert.call(inputs))).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The encoder's hidden state of every token, [batch, sequence, hidden] (masked-LM training reads it).</summary>
    public Tensor Sequence(BertInputs inputs) => bert.Sequence(inputs);

    /// <summary>The word embedding table; a masked-LM head ties its decoder to this very tensor.</summary>
    public Parameter WordEmbeddings => bert.WordEmbeddings;

    /// <summary>Scores a batch in eval mode without autograd (restoring the training flag); one logit per row.</summary>
    public float[] Score(EncodedBatch batch)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            using var inputs = BertInputs.From(batch, Config, Device);
            return forward(inputs).cpu().data<float>().ToArray();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>Every parameter as a float32 CPU copy keyed by its Hugging Face name (for <see cref="SafeTensors"/>).</summary>
    public Dictionary<string, NamedTensor> Weights()
    {
        var weights = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        foreach (var (name, parameter) in named_parameters())
            weights[name] = new NamedTensor(parameter.shape, parameter.detach().cpu().contiguous().data<float>().ToArray());
        return weights;
    }

    /// <summary>
    /// Copies <paramref name="weights"/> into the parameters: every parameter must be present with its shape, and no
    /// other tensor may be (<see cref="BertParameters.Check"/>; <paramref name="source"/> names the origin in errors).
    /// </summary>
    public void LoadWeights(IReadOnlyDictionary<string, NamedTensor> weights, string source)
    {
        BertParameters.Check(Config, weights, source);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in named_parameters())
            CopyInto(parameter, weights[name]);
    }

    /// <summary>Copies one tensor into the named parameter (shapes must match).</summary>
    public void LoadWeight(string name, NamedTensor tensor)
    {
        var parameter = get_parameter(name) ?? throw new ArgumentException($"{nameof(BertForSequenceClassification)}: no parameter named '{name}'", nameof(name));
        if (!tensor.HasShape(parameter.shape))
            throw new ArgumentException($"{name}: shape [{string.Join(", ", tensor.Shape)}], the model has [{string.Join(", ", parameter.shape)}]", nameof(tensor));
        using var noGrad = torch.no_grad();
        CopyInto(parameter, tensor);
    }

    /// <summary>The parameters AdamW decays and those it does not (biases and LayerNorm weights, as transformers' Trainer).</summary>
    public (IReadOnlyList<Parameter> Decay, IReadOnlyList<Parameter> NoDecay) WeightDecayGroups()
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in named_parameters())
            (Decays(name) ? decay : noDecay).Add(parameter);
        return (decay, noDecay);
    }

    /// <summary>Whether AdamW decays the parameter of this Hugging Face name (not biases, not LayerNorm weights).</summary>
    public static bool Decays(string name) =>
        !(name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm.", StringComparison.Ordinal));

    private void CopyInto(Parameter parameter, NamedTensor tensor)
    {
        using var source = torch.tensor(tensor.Data, tensor.Shape, ScalarType.Float32);
        parameter.copy_(source);
    }
}
