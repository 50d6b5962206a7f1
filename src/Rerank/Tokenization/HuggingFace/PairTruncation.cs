// SearchRerank: Hugging Face's truncate_encodings for a (query, passage) pair.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// The segment lengths Hugging Face tokenizers keep for a pair, given the budget left after the template's special
/// tokens (<c>max_length − added tokens</c>). Stride 0, truncation from the right.
/// </summary>
internal static class PairTruncation
{
    public const string TooShortMessage = "Truncation error: Sequence to truncate too short to respect the provided max_length";

    public const string SecondMissingMessage = "Truncation error: Second sequence not provided";

    /// <exception cref="TruncationException"><see cref="TruncationStrategy.OnlySecond"/> and the second segment is not longer than the excess.</exception>
    public static (int First, int Second) Lengths(int first, int second, int budget, TruncationStrategy strategy)
    {
        if (first + second <= budget)
            return (first, second);
        if (strategy == TruncationStrategy.OnlySecond)
        {
            int excess = first + second - budget;
            if (second <= excess)
                throw new TruncationException(TooShortMessage);
            return (first, second - excess);
        }

        // longest_first with n1 the shorter length: n2 = max(n1, budget − n1); if both still do not fit, halves.
        bool swap = first > second;
        int n1 = Math.Min(first, second), n2;
        n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if (n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + budget % 2;
        }
        if (swap)
            (n1, n2) = (n2, n1);
        return (Math.Min(first, n1), Math.Min(second, n2));
    }
}
