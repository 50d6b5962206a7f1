using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank;

/// <summary>
/// What a <see cref="CrossEncoderRescorer"/> reads from the index and how it scores.
/// <list type="bullet">
/// <item><see cref="Fields"/>: the stored fields whose values, joined by spaces (empty ones skipped), make the
/// document side of each pair. Default <c>title</c>, <c>text</c> (SearchRerank's schema, <c>title + " " + text</c>);
/// an application passes its own field names.</item>
/// <item><see cref="Fusion"/>: null scores by the raw logit; otherwise the z-score mix of both stages.</item>
/// <item><see cref="PretokenizedField"/>: binary doc values holding <see cref="PretokenizedIds"/> of the same text
/// (SearchRerank's <see cref="IndexSchema.WordPieceIds"/>); documents whose value carries the encoder's tokenizer
/// fingerprint skip tokenization, all others are tokenized. The scores are the same either way.</item>
/// </list>
/// </summary>
public sealed record CrossEncoderRescorerOptions
{
    public IReadOnlyList<string> Fields { get; init; } = [IndexSchema.Title, IndexSchema.Text];
    public ScoreFusion? Fusion { get; init; }
    public string? PretokenizedField { get; init; }
}
