// SearchRerank: tokenizer.json "Strip".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Removes whitespace (Rust's definition) from the left and/or the right of the text.</summary>
internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public string Normalize(string text)
    {
        int start = 0, end = text.Length;
        while (left && start < end && RustChars.IsWhitespace(RustChars.CodePointAt(text, start, out int length)))
            start += length;
        while (right && end > start)
        {
            int cp = RustChars.CodePointBefore(text, end);
            if (!RustChars.IsWhitespace(cp))
                break;
            end -= cp > 0xFFFF ? 2 : 1;
        }
        return text[start..end];
    }

    public override string ToString() => $"Strip(left={(left ? "true" : "false")},right={(right ? "true" : "false")})";
}
