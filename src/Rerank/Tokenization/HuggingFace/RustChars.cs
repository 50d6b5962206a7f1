// SearchRerank: character classes as Rust (and so Hugging Face tokenizers) defines them.
using System.Globalization;
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Rust's <c>char</c> predicates, which differ from .NET's (e.g. U+001C–U+001F are not whitespace in Rust).</summary>
internal static class RustChars
{
    /// <summary>Rust's <c>char::is_whitespace</c>: the Unicode White_Space property.</summary>
    public static bool IsWhitespace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D or 0x20 or 0x85 => true,
        < 0x80 => false,
        _ => CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator,
    };

    /// <summary>Rust's <c>char::is_alphanumeric</c>: a letter or a number of any kind.</summary>
    public static bool IsAlphanumeric(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
        or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
        or UnicodeCategory.OtherNumber;

    /// <summary>The code point at <paramref name="index"/> (a lone surrogate stands for itself) and its length in chars.</summary>
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        if (Rune.DecodeFromUtf16(text[index..], out var rune, out length) == System.Buffers.OperationStatus.Done)
            return rune.Value;
        length = 1;
        return text[index];
    }

    /// <summary>The code point that ends just before <paramref name="end"/>.</summary>
    public static int CodePointBefore(ReadOnlySpan<char> text, int end) =>
        Rune.DecodeLastFromUtf16(text[..end], out var rune, out _) == System.Buffers.OperationStatus.Done ? rune.Value : text[end - 1];
}
