// SearchRerank: tokenizer.json "Whitespace" (the regex \w+|[^\w\s]+).
using System.Globalization;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Keeps the runs of word characters and the runs of other non-space characters, dropping whitespace: Hugging Face's
/// <c>\w+|[^\w\s]+</c>, where \w is a letter, a mark, a decimal digit or a connector punctuation (Oniguruma's Unicode
/// definition). Scanned by code point, so a letter outside the BMP stays one character.
/// </summary>
internal sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private enum Kind { Space, Word, Other }

    public void Split(PreToken piece, List<PreToken> output)
    {
        string text = piece.Text;
        int start = 0;
        var current = Kind.Space;
        int i = 0;
        while (i <= text.Length)
        {
            int length = 1;
            var kind = i == text.Length ? Kind.Space : Classify(RustChars.CodePointAt(text, i, out length));
            if (kind != current)
            {
                if (current != Kind.Space)
                    output.Add(new PreToken(text[start..i], piece.AtStart && start == 0));
                start = i;
                current = kind;
            }
            i += length;
        }
    }

    private static Kind Classify(int cp)
    {
        if (RustChars.IsWhitespace(cp))
            return Kind.Space;
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.ConnectorPunctuation => Kind.Word,
            _ => Kind.Other,
        };
    }

    public override string ToString() => "Whitespace";
}
