namespace SearchRerank.Search.Index;

/// <summary>
/// Options of <see cref="IndexWriter.Open"/>. <see cref="Analyzer"/>, <see cref="K1"/> and <see cref="B"/> are fixed
/// when the index is created; null means "keep what the index has" (or the default for a new index).
/// Each batch of <see cref="BatchSize"/> documents is one transaction.
/// </summary>
public sealed record IndexWriterOptions
{
    public string? Analyzer { get; init; }
    public double? K1 { get; init; }
    public double? B { get; init; }
    public int BatchSize { get; init; } = 1000;
}
