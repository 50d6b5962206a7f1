// SearchRerank: tokenizer.json "Precompiled" (SentencePiece's nmt_nfkc and similar rules, as a charsmap).
using System.Globalization;
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Hugging Face tokenizers' <c>Precompiled</c> normalizer, step for step (it is not SentencePiece's, see
/// huggingface/tokenizers #2116): for each extended grapheme cluster shorter than 6 UTF-8 bytes, the charsmap's
/// replacement of its shortest matching prefix replaces the whole cluster; otherwise (no match, or a longer cluster)
/// each code point is replaced by its own replacement or kept. The grapheme clusters come from .NET's UAX #29
/// implementation, as the Rust <c>unicode-segmentation</c> crate's do. Thread-safe.
/// </summary>
internal sealed class PrecompiledNormalizer : INormalizer
{
    private const int MaxClusterBytes = 6;

    private readonly PrecompiledCharsMap map;

    /// <summary>The map's result for each ASCII character on its own (null: kept as is).</summary>
    private readonly string?[] ascii = new string?[0x80];

    public PrecompiledNormalizer(PrecompiledCharsMap map)
    {
        this.map = map;
        for (int c = 1; c < 0x80; c++)
            ascii[c] = map.Replacement([(byte)c]);
    }

    public string Normalize(string text)
    {
        if (map.IsEmpty)
            return text;
        var output = new StringBuilder(text.Length + 8);
        Span<byte> utf8 = stackalloc byte[64];
        int i = 0;
        while (i < text.Length)
        {
            // An ASCII character followed by another (CR LF aside) is a grapheme cluster of its own (UAX #29 has no
            // rule joining two ASCII characters but GB3), so its replacement is the precomputed one.
            char c = text[i];
            if (c < 0x80 && c != 0 && (i + 1 == text.Length || (text[i + 1] < 0x80 && !(c == '\r' && text[i + 1] == '\n'))))
            {
                if (ascii[c] is { } replaced)
                    output.Append(replaced);
                else
                    output.Append(c);
                i++;
                continue;
            }
            int length = StringInfo.GetNextTextElementLength(text.AsSpan(i));
            var cluster = text.AsSpan(i, length);
            i += length;
            int bytes = Encoding.UTF8.GetByteCount(cluster);
            if (bytes < MaxClusterBytes)
            {
                Encoding.UTF8.GetBytes(cluster, utf8);
                if (map.Replacement(utf8[..bytes]) is { } whole)
                {
                    output.Append(whole);
                    continue;
                }
            }
            int at = 0;
            while (at < cluster.Length)
            {
                RustChars.CodePointAt(cluster, at, out int charCount);
                var codePoint = cluster.Slice(at, charCount);
                at += charCount;
                int n = Encoding.UTF8.GetBytes(codePoint, utf8);
                if (map.Replacement(utf8[..n]) is { } replacement)
                    output.Append(replacement);
                else
                    output.Append(codePoint);
            }
        }
        return output.ToString();
    }

    public override string ToString() => "Precompiled";
}
