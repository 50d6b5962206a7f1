// SearchRerank: the character classes of Hugging Face's BertNormalizer and BertPreTokenizer.
using System.Globalization;

namespace SearchRerank.Rerank.Tokenization.Unicode;

/// <summary>
/// Character predicates with exactly the definitions of Hugging Face tokenizers (normalizers/bert.rs,
/// pre_tokenizers/bert.rs), which differ from .NET's own: e.g. "control" includes format and private-use
/// characters, and punctuation is ASCII punctuation plus the Unicode P* categories but no symbols.
/// </summary>
internal static class BertCharacters
{
    // ASCII punctuation as Rust's char::is_ascii_punctuation: !"#$%&'()*+,-./ :;<=>?@ [\]^_` {|}~
    private static readonly bool[] AsciiPunctuation = CreateAsciiPunctuation();

    private static bool[] CreateAsciiPunctuation()
    {
        var table = new bool[128];
        for (int c = 33; c < 127; c++)
            table[c] = !char.IsAsciiLetterOrDigit((char)c);
        return table;
    }

    /// <summary>Removed by text cleaning: categories Cc, Cf, Co, Cs, except tab, newline and carriage return.</summary>
    public static bool IsControl(int cp)
    {
        if (cp is '\t' or '\n' or '\r')
            return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>Rust's char::is_whitespace: the Unicode White_Space property.</summary>
    public static bool IsWhitespace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D => true,
        0x20 or 0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A => true,
        0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>CJK ideograph blocks that BertNormalizer surrounds with spaces (so each becomes a word).</summary>
    public static bool IsChinese(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B81F
            or >= 0x2B920 and <= 0x2CEAF
            or >= 0x2F800 and <= 0x2FA1F;

    /// <summary>Split off as a word of its own by BertPreTokenizer.</summary>
    public static bool IsPunctuation(int cp)
    {
        if (cp < 128)
            return AsciiPunctuation[cp];
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>Dropped after NFD when accents are stripped (category Mn).</summary>
    public static bool IsNonSpacingMark(int cp) =>
        cp >= 0x300 && CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.NonSpacingMark;
}
