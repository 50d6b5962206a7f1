// SearchRerank: where an encoding's tokens go.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Collects the tokens of one encoding, word by word: their ids and, when asked, each token's [start, end) range in the
/// original text and the index of the first token of each word. With a token limit, the first word that would exceed
/// it is left out whole and the sink is <see cref="Full"/> from then on: a word is never split between its pieces.
/// Owned by one call.
/// </summary>
internal sealed class TokenSink(List<int> ids, bool withOffsets = false, int limit = int.MaxValue)
{
    public List<int> Ids { get; } = ids;

    /// <summary>One range per token, or null when offsets are not tracked.</summary>
    public List<(int Start, int End)>? Offsets { get; } = withOffsets ? [] : null;

    /// <summary>Index in <see cref="Ids"/> of each word's first token (tracked with offsets).</summary>
    public List<int> WordStarts { get; } = [];

    /// <summary>A word was left out because of the limit; nothing more is added.</summary>
    public bool Full { get; private set; }

    /// <summary>Scratch list for one word's piece ranges.</summary>
    public List<(int Start, int End)> Pieces { get; } = [];

    /// <summary>Adds the WordPiece pieces of <paramref name="word"/> (no offsets tracked).</summary>
    public void AddWord(ReadOnlySpan<char> word, WordPieceTokenizer wordPiece)
    {
        int before = Ids.Count;
        wordPiece.Tokenize(word, Ids);
        if (Ids.Count > limit)
        {
            Ids.RemoveRange(before, Ids.Count - before);
            Full = true;
        }
    }

    /// <summary>Adds one word given as token ids with their ranges in the original text.</summary>
    public void AddWord(IReadOnlyList<int> tokens, IReadOnlyList<(int Start, int End)> ranges)
    {
        if (Ids.Count + tokens.Count > limit)
        {
            Full = true;
            return;
        }

        if (Offsets is not null)
        {
            WordStarts.Add(Ids.Count);
            Offsets.AddRange(ranges);
        }
        Ids.AddRange(tokens);
    }
}
