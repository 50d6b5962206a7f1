using System.Buffers;
using System.Globalization;
using System.Text;

namespace SearchRerank.Search.Analysis;

/// <summary>
/// Splits text into words following the core of the Unicode word-break rules (UAX #29) that Lucene's
/// StandardTokenizer implements: letters and digits join into one token; "." and "'" join letters
/// ("e.g", "o'neil") and digits ("3.14"); "," and ";" join digits ("1,000"); ":" joins letters; "_" joins anything;
/// combining marks stay with their base; Han and Hiragana characters become one token each.
/// Tokens without a letter or digit are dropped, and tokens longer than <see cref="MaxTokenLength"/>
/// are cut into pieces of that length, as in Lucene, so pathological input cannot produce huge terms.
/// Known simplifications: no dictionary segmentation for Thai/Lao/Khmer, Katakana joins like letters.
/// </summary>
public sealed class StandardTokenizer : TokenStream
{
    /// <summary>Lucene's default maximum token length.</summary>
    public const int MaxTokenLength = 255;

    private readonly string text;
    private int position;
    private readonly Queue<string> pending = new();

    public StandardTokenizer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        this.text = text;
    }

    private enum CharClass { Other, Letter, Digit, Ideographic, Extend, ExtendNumLet, MidLetter, MidNumLet, MidNum }

    public override bool Next(out string term)
    {
        while (pending.Count == 0 && position < text.Length)
            ScanWord();
        if (pending.Count > 0)
        {
            term = pending.Dequeue();
            return true;
        }
        term = string.Empty;
        return false;
    }

    /// <summary>Skips separators, then consumes one word (if any) starting at <see cref="position"/>.</summary>
    private void ScanWord()
    {
        var start = position;
        var (cls, width) = Classify(start);
        position += width;
        if (cls is CharClass.Ideographic)
        {
            position = SkipExtend(position);
            Emit(start, position);
            return;
        }
        if (cls is not (CharClass.Letter or CharClass.Digit or CharClass.ExtendNumLet))
            return;

        var last = cls; // class of the last letter/digit/connector in the word (Extend is transparent, WB4)
        while (position < text.Length)
        {
            var (next, nextWidth) = Classify(position);
            if (next is CharClass.Extend)
            {
                position += nextWidth;
            }
            else if (next is CharClass.Letter or CharClass.Digit or CharClass.ExtendNumLet)
            {
                position += nextWidth;
                last = next;
            }
            else if (next is CharClass.MidLetter or CharClass.MidNumLet or CharClass.MidNum
                     && JoinsAcross(last, next, position + nextWidth, out var afterStart))
            {
                position = afterStart;
            }
            else
            {
                break;
            }
        }
        if (HasLetterOrDigit(start, position))
            Emit(start, position);
    }

    /// <summary>WB6/7 and WB11/12: a middle punctuation mark joins two letters or two digits.</summary>
    private bool JoinsAcross(CharClass before, CharClass mid, int afterMid, out int afterStart)
    {
        afterStart = SkipExtend(afterMid);
        if (afterStart >= text.Length)
            return false;
        var (after, _) = Classify(afterStart);
        return (before, after, mid) switch
        {
            (CharClass.Letter, CharClass.Letter, CharClass.MidLetter or CharClass.MidNumLet) => true,
            (CharClass.Digit, CharClass.Digit, CharClass.MidNum or CharClass.MidNumLet) => true,
            _ => false,
        };
    }

    private int SkipExtend(int index)
    {
        while (index < text.Length)
        {
            var (cls, width) = Classify(index);
            if (cls is not CharClass.Extend)
                break;
            index += width;
        }
        return index;
    }

    private bool HasLetterOrDigit(int start, int end)
    {
        for (var i = start; i < end;)
        {
            var (cls, width) = Classify(i);
            if (cls is CharClass.Letter or CharClass.Digit)
                return true;
            i += width;
        }
        return false;
    }

    private void Emit(int start, int end)
    {
        while (end - start > MaxTokenLength)
        {
            // Never split a surrogate pair.
            var cut = start + MaxTokenLength;
            if (char.IsLowSurrogate(text[cut]))
                cut--;
            pending.Enqueue(text[start..cut]);
            start = cut;
        }
        pending.Enqueue(text[start..end]);
    }

    private (CharClass Class, int Width) Classify(int index)
    {
        var c = text[index];
        if (c < 0x80)
        {
            var ascii = c switch
            {
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharClass.Letter,
                >= '0' and <= '9' => CharClass.Digit,
                '_' => CharClass.ExtendNumLet,
                ':' => CharClass.MidLetter,
                '.' or '\'' => CharClass.MidNumLet,
                ',' or ';' => CharClass.MidNum,
                _ => CharClass.Other,
            };
            return (ascii, 1);
        }
        // Unpaired surrogates (invalid UTF-16) are treated as separators rather than failing the whole text.
        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var width) != OperationStatus.Done)
            return (CharClass.Other, 1);
        return (ClassifyRune(rune), width);
    }

    private static CharClass ClassifyRune(Rune rune)
    {
        var v = rune.Value;
        switch (v)
        {
            case 0x00B7 or 0x0387 or 0x05F4 or 0x2027 or 0xFE13 or 0xFE55 or 0xFF1A:
                return CharClass.MidLetter;
            case 0x2018 or 0x2019 or 0x2024 or 0xFE52 or 0xFF07 or 0xFF0E:
                return CharClass.MidNumLet;
            case 0x037E or 0x0589 or 0x060C or 0x060D or 0x066C or 0x07F8 or 0x2044
                or 0xFE10 or 0xFE14 or 0xFE50 or 0xFE54 or 0xFF0C or 0xFF1B:
                return CharClass.MidNum;
        }
        if (IsIdeographic(v))
            return CharClass.Ideographic;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber => CharClass.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format => CharClass.Extend,
            UnicodeCategory.ConnectorPunctuation => CharClass.ExtendNumLet,
            _ => CharClass.Other,
        };
    }

    /// <summary>Han ideographs (CJK blocks and extensions) and Hiragana: UAX #29 gives each its own word.</summary>
    private static bool IsIdeographic(int v) =>
        v is >= 0x3040 and <= 0x309F      // Hiragana
        or >= 0x3400 and <= 0x4DBF        // CJK Extension A
        or >= 0x4E00 and <= 0x9FFF        // CJK Unified Ideographs
        or >= 0xF900 and <= 0xFAFF        // CJK Compatibility Ideographs
        or >= 0x20000 and <= 0x3FFFF;     // CJK Extensions B.. (planes 2 and 3)
}
