namespace SearchRerank.Train.Optimization;

/// <summary>Which update rule <see cref="CrossEncoderOptimizer"/> applies.</summary>
internal enum OptimizerKind
{
    /// <summary>torch.optim.AdamW (decoupled weight decay, Loshchilov &amp; Hutter 2019), as every stage trains.</summary>
    AdamW,

    /// <summary>Plain p −= lr·grad: for gradient checks against reference steps.</summary>
    Sgd,
}
