// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>Something the cross-encoder wants the user to know; the CLI prints these (truncations only when verbose).</summary>
public sealed record CrossEncoderNotice(CrossEncoderNoticeKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>Kinds of <see cref="CrossEncoderNotice"/>.</summary>
public enum CrossEncoderNoticeKind
{
    /// <summary>CUDA was asked for but is unavailable; the model runs on CPU. Reported once per load.</summary>
    DeviceFallback,

    /// <summary>Some pairs of a Predict call did not fit the maximum length and were truncated.</summary>
    Truncation,
}
