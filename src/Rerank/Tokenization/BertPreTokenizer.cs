// SearchRerank: Hugging Face's BertPreTokenizer as an allocation-free word enumerator.
using System.Text;
using SearchRerank.Rerank.Tokenization.Unicode;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Enumerates the words of normalized text as BertPreTokenizer splits it: whitespace separates words and is
/// dropped; every punctuation character (see <see cref="BertCharacters.IsPunctuation"/>) is a word of its own.
/// Yields (start, length) ranges into the text.
/// </summary>
internal ref struct BertPreTokenizer
{
    private readonly ReadOnlySpan<char> text;
    private int position;

    public BertPreTokenizer(ReadOnlySpan<char> text)
    {
        this.text = text;
        position = 0;
        Current = default;
    }

    public (int Start, int Length) Current { get; private set; }

    public readonly BertPreTokenizer GetEnumerator() => this;

    public bool MoveNext()
    {
        int wordStart = -1;
        while (position < text.Length)
        {
            int at = position;
            int cp = text[at];
            int width = 1;
            if (cp >= 0x80 && Rune.DecodeFromUtf16(text[at..], out var rune, out width) == System.Buffers.OperationStatus.Done)
                cp = rune.Value;
            if (BertCharacters.IsWhitespace(cp))
            {
                position += width;
                if (wordStart >= 0)
                    return Yield(wordStart, at);
                continue;
            }
            if (BertCharacters.IsPunctuation(cp))
            {
                if (wordStart >= 0)
                    return Yield(wordStart, at); // the punctuation is yielded by the next call
                position += width;
                return Yield(at, position);
            }
            if (wordStart < 0)
                wordStart = at;
            position += width;
        }
        return wordStart >= 0 && Yield(wordStart, text.Length);
    }

    private bool Yield(int start, int end)
    {
        Current = (start, end - start);
        return true;
    }
}
