// SearchRerank: cuts added (special) tokens out of raw text before normalization.
using System.Buffers;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Finds added tokens with <c>normalized: false</c> (e.g. [CLS], [SEP]) in raw text, exact case,
/// leftmost-longest as Hugging Face's AddedVocabulary: such a token is never split or lowercased.
/// Immutable, thread-safe.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly (string Content, int Id)[] tokens; // longest first, so the first match at a position is the longest
    private readonly SearchValues<char> firstChars;

    public AddedTokenSplitter(IEnumerable<(string Content, int Id)> addedTokens)
    {
        tokens = addedTokens.Where(t => t.Content.Length > 0)
            .OrderByDescending(t => t.Content.Length).ThenBy(t => t.Content, StringComparer.Ordinal).ToArray();
        firstChars = SearchValues.Create(tokens.Select(t => t.Content[0]).Distinct().ToArray());
    }

    /// <summary>The first added token at or after <paramref name="from"/>: its index, or -1 when there is none.</summary>
    public int FindNext(ReadOnlySpan<char> text, int from, out int length, out int id)
    {
        while (tokens.Length > 0 && from < text.Length)
        {
            int offset = text[from..].IndexOfAny(firstChars);
            if (offset < 0)
                break;
            int at = from + offset;
            foreach (var (content, tokenId) in tokens)
            {
                if (text[at..].StartsWith(content, StringComparison.Ordinal))
                {
                    length = content.Length;
                    id = tokenId;
                    return at;
                }
            }
            from = at + 1;
        }
        length = 0;
        id = -1;
        return -1;
    }
}
