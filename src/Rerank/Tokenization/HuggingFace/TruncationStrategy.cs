// SearchRerank: how a pair that is too long is cut.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Hugging Face's pair truncation strategies (<c>truncation="longest_first"</c> / <c>"only_second"</c>).</summary>
internal enum TruncationStrategy
{
    /// <summary>Cut the longer segment first; when both are long each keeps half the budget (the first one the smaller half).</summary>
    LongestFirst,

    /// <summary>Cut only the second segment (the passage); an error when it is too short to absorb the excess.</summary>
    OnlySecond,
}
