// SearchRerank: greedy longest-match-first WordPiece.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Splits one pre-tokenized word into vocabulary pieces, greedy longest match first, non-initial pieces
/// carrying the continuing-subword prefix ("##"), as Hugging Face's WordPiece model: a word longer than
/// <c>maxInputCharsPerWord</c> code points, or one with any unmatchable position, becomes a single unknown token.
/// Pure and thread-safe.
/// </summary>
internal sealed class WordPieceTokenizer
{
    private readonly Vocabulary vocabulary;
    private readonly string prefix;
    private readonly int unknownId;
    private readonly int maxInputCharsPerWord;

    public WordPieceTokenizer(Vocabulary vocabulary, int unknownId, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        this.vocabulary = vocabulary;
        this.unknownId = unknownId;
        prefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    /// <summary>
    /// Appends the ids of <paramref name="word"/> to <paramref name="output"/>, and when <paramref name="pieces"/> is given
    /// the [start, end) char range of each piece within the word (the whole word for an unknown token).
    /// </summary>
    public void Tokenize(ReadOnlySpan<char> word, List<int> output, List<(int Start, int End)>? pieces = null)
    {
        // Code points ≤ UTF-16 length, so counting is needed only for long words.
        if (word.Length > maxInputCharsPerWord && CountCodePoints(word) > maxInputCharsPerWord)
        {
            output.Add(unknownId);
            pieces?.Add((0, word.Length));
            return;
        }
        if (vocabulary.TryGetId(word, out int whole))
        {
            output.Add(whole);
            pieces?.Add((0, word.Length));
            return;
        }

        // scratch = prefix + word. For a piece starting at `start` > 0 the prefix is written just before it,
        // over characters already consumed, so "##piece" is one contiguous span without a copy per candidate.
        int p = prefix.Length;
        Span<char> scratch = word.Length + p <= 256 ? stackalloc char[word.Length + p] : new char[word.Length + p];
        word.CopyTo(scratch[p..]);
        int firstPiece = output.Count;
        int start = 0;
        while (start < word.Length)
        {
            if (start > 0)
                prefix.CopyTo(scratch[start..]);
            int end = Math.Min(word.Length, start + vocabulary.MaxTokenLength);
            int id = -1;
            while (end > start)
            {
                if (end < word.Length && char.IsLowSurrogate(word[end]))
                {
                    end--; // never split a surrogate pair
                    continue;
                }
                var piece = start == 0 ? word[..end] : scratch[start..(p + end)];
                if (vocabulary.TryGetId(piece, out id))
                    break;
                id = -1;
                end--;
            }
            if (id < 0)
            {
                if (pieces is not null)
                {
                    pieces.RemoveRange(pieces.Count - (output.Count - firstPiece), output.Count - firstPiece);
                    pieces.Add((0, word.Length));
                }
                output.RemoveRange(firstPiece, output.Count - firstPiece);
                output.Add(unknownId);
                return;
            }
            output.Add(id);
            pieces?.Add((start, end));
            start = end;
        }
    }

    private static int CountCodePoints(ReadOnlySpan<char> text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            count++;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
        }
        return count;
    }
}
