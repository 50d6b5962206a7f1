using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Optimization;

/// <summary>
/// Updates a <see cref="BertForSequenceClassification"/> in place: TorchSharp's <c>optim.AdamW</c> with two parameter
/// groups (weight decay off for biases and LayerNorm weights), <c>lr_scheduler.LambdaLR</c> over
/// <see cref="LinearWarmupSchedule"/>, gradient accumulation and <c>nn.utils.clip_grad_norm_</c>. Each
/// <see cref="Backward"/> is one micro-batch; every <see cref="OptimizerSettings.AccumulationSteps"/>-th applies a step.
/// A non-finite loss or gradient norm throws <see cref="NonFiniteLossException"/> before anything is applied.
/// Parameters beside the model's (a stage's own head) join the same groups by the same naming rule.
/// Borrows the model (dispose this first). Not thread-safe.
/// </summary>
public sealed class CrossEncoderOptimizer : IDisposable
{
    private const string Magic = "SearchRerank.CrossEncoderOptimizer/1";
    private readonly BertForSequenceClassification model;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> extra;
    private readonly Parameter[] parameters;
    private readonly optim.Optimizer optimizer;
    private optim.lr_scheduler.LRScheduler schedule;
    private int micro;

    /// <param name="extra">Trainable parameters beside the model's, by Hugging Face name (none: null).</param>
    public CrossEncoderOptimizer(BertForSequenceClassification model, OptimizerSettings settings, IReadOnlyList<(string Name, Parameter Parameter)>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        this.model = model;
        this.extra = extra ?? [];
        Settings = settings;
        parameters = model.parameters().Concat(this.extra.Select(e => e.Parameter)).ToArray();
        if (settings.Kind == OptimizerKind.Sgd)
        {
            this.optimizer = optim.SGD(parameters, settings.LearningRate);
        }
        else
        {
            var (decay, noDecay) = model.WeightDecayGroups();
            var extraDecay = this.extra.Where(e => BertForSequenceClassification.Decays(e.Name)).Select(e => e.Parameter);
            var extraNoDecay = this.extra.Where(e => !BertForSequenceClassification.Decays(e.Name)).Select(e => e.Parameter);
            this.optimizer = optim.AdamW(
                [
                    new AdamW.ParamGroup(decay.Concat(extraDecay), new AdamW.Options { weight_decay = settings.WeightDecay }),
                    new AdamW.ParamGroup(noDecay.Concat(extraNoDecay), new AdamW.Options { weight_decay = 0.0 }),
                ],
                settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon);
        }
        schedule = Schedule(lastStep: -1);
    }

    public OptimizerSettings Settings { get; }

    /// <summary>Optimizer steps taken (the scheduler's position).</summary>
    public long Step { get; private set; }

    /// <summary>The learning rate the next optimizer step uses.</summary>
    public double LearningRate => this.optimizer.ParamGroups.First().LearningRate;

    /// <summary>Global gradient L2 norm before clipping at the last optimizer step (0 before the first).</summary>
    public double LastGradNorm { get; private set; }

    /// <summary>
    /// Backpropagates one micro-batch's <paramref name="loss"/> (scaled by 1/accumulation, so the summed gradient is
    /// that of the mean over micro-batches) and returns its unscaled value; the last micro-batch of a cycle clips and
    /// steps. Throws <see cref="NonFiniteLossException"/> without backpropagating when the loss is not finite.
    /// </summary>
    public double Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new NonFiniteLossException($"loss is {value} at optimizer step {Step + 1}, micro-batch {this.micro + 1} of {Settings.AccumulationSteps}; nothing was accumulated and the weights are unchanged");
        if (this.micro == 0)
            this.optimizer.zero_grad();
        using (var scaled = Settings.AccumulationSteps == 1 ? loss.alias() : loss / Settings.AccumulationSteps)
            scaled.backward();
        if (++this.micro == Settings.AccumulationSteps)
        {
            this.micro = 0;
            Apply();
        }
        return value;
    }

    /// <summary>L2 norm of one parameter's gradient as the last micro-batch left it (after clipping, when a step was taken).</summary>
    public double GradNorm(string name)
    {
        var parameter = this.model.get_parameter(name) ?? throw new ArgumentException($"{nameof(CrossEncoderOptimizer)}: no parameter named '{name}'", nameof(name));
        using var grad = parameter.grad ?? throw new InvalidOperationException($"{name} has no gradient yet");
        using var norm = grad.norm();
        return norm.item<float>();
    }

    /// <summary>Writes the optimizer moments and hyperparameters, the step count and the last gradient norm; between optimizer steps only.</summary>
    public void Save(Stream stream)
    {
        if (this.micro != 0)
            throw new InvalidOperationException($"{nameof(CrossEncoderOptimizer)}: cannot save in the middle of gradient accumulation (micro-batch {this.micro} of {Settings.AccumulationSteps}); save after an optimizer step");
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Settings.Kind.ToString());
        writer.Write(Step);
        writer.Write(LastGradNorm);
        ((OptimizerHelper)this.optimizer).save_state_dict(writer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote, for an optimizer over a model of the same layout; a bad file leaves this one as it was.</summary>
    public void Load(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException($"{source}: not an optimizer state written by {nameof(CrossEncoderOptimizer)}");
            string kind = reader.ReadString();
            if (kind != Settings.Kind.ToString())
                throw new InvalidDataException($"{source}: optimizer state of {kind}, this optimizer is {Settings.Kind}");
            long step = reader.ReadInt64();
            double norm = reader.ReadDouble();
            // TorchSharp reads into the live state tensors: read a copy first, so a truncated file changes nothing.
            using var probe = new CrossEncoderOptimizer(this.model, Settings, this.extra);
            long start = stream.Position;
            ((OptimizerHelper)probe.optimizer).load_state_dict(reader);
            stream.Position = start;
            ((OptimizerHelper)this.optimizer).load_state_dict(reader);
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{source}: {stream.Length - stream.Position} unexpected bytes after the optimizer state");
            (Step, LastGradNorm, this.micro) = (step, norm, 0);
            schedule = Schedule(lastStep: step - 1);
            this.optimizer.zero_grad();
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: truncated or mismatched optimizer state ({ex.Message})", ex);
        }
    }

    public void Dispose() => this.optimizer.Dispose();

    private void Apply()
    {
        // Global L2 norm of all gradients, as one vector; clip_grad_norm_ scales them by max/(norm + 1e-6) when above max.
        double norm = nn.utils.clip_grad_norm_(parameters, Settings.MaxGradNorm > 0 ? Settings.MaxGradNorm : double.PositiveInfinity);
        LastGradNorm = norm;
        if (!double.IsFinite(norm))
        {
            this.optimizer.zero_grad();
            throw new NonFiniteLossException($"gradient norm is {norm} at optimizer step {Step + 1}; the accumulated gradients were dropped and the weights are unchanged");
        }
        this.optimizer.step();
        Step++;
        schedule.step();
    }

    // LambdaLR's constructor takes one scheduler step itself: built at lastStep, it sets the rate of step lastStep + 1.
    private optim.lr_scheduler.LRScheduler Schedule(long lastStep) =>
        optim.lr_scheduler.LambdaLR(this.optimizer, step => LinearWarmupSchedule.Factor(step, Settings.WarmupSteps, Settings.TotalSteps, Settings.Decay), checked((int)lastStep));
}
