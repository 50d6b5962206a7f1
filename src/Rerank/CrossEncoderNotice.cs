namespace SearchRerank.Rerank;

/// <summary>
/// Something the cross-encoder wants the user to know; the CLI prints device fallbacks always, the rest with --verbose.
/// </summary>
public sealed record CrossEncoderNotice(CrossEncoderNoticeKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>Kinds of <see cref="CrossEncoderNotice"/>.</summary>
public enum CrossEncoderNoticeKind
{
    /// <summary>CUDA was asked for but is unavailable; the model runs on CPU. Reported once per load, naming ORT's reason.</summary>
    DeviceFallback,

    /// <summary>The execution provider the model was loaded on, and the ONNX Runtime version. Reported once per load.</summary>
    ExecutionProvider,

    /// <summary>Where a setting left open in the options came from (the max length recorded by the model folder). Reported once per load.</summary>
    Setting,

    /// <summary>What the folder holds: tokenizer family, pair template, model inputs and how logits become the score. Reported once per load.</summary>
    Model,

    /// <summary>Some pairs of a Predict call did not fit the maximum length and were truncated.</summary>
    Truncation,
}
