// SearchRerank: Hugging Face's BertNormalizer, fused into one pass over the text.
using System.Buffers;
using System.Text;
using SearchRerank.Rerank.Tokenization.Unicode;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Normalizes text exactly as Hugging Face tokenizers' BertNormalizer, whose steps run in this order:
/// <list type="number">
/// <item>clean text: drop U+0000, U+FFFD and control/format/private-use/surrogate characters (not \t \n \r), map whitespace to a space;</item>
/// <item>put a space on each side of CJK ideographs;</item>
/// <item>strip accents: NFD, then drop non-spacing marks (Mn);</item>
/// <item>lowercase character by character (Σ → σ always; İ → i + U+0307 as Rust's to_lowercase).</item>
/// </list>
/// The steps are per character except the canonical reordering inside NFD, done here on the pending run of
/// non-starters. Each output char is appended with <see cref="CharBuffer.Origin"/> set to the index of the source
/// character it came from, so a buffer that tracks origins maps the normalized text back. Pure and thread-safe.
/// </summary>
internal sealed class BertNormalizer
{
    private readonly bool cleanText, handleChineseChars, stripAccents, lowercase;

    public BertNormalizer(bool cleanText, bool handleChineseChars, bool stripAccents, bool lowercase)
    {
        this.cleanText = cleanText;
        this.handleChineseChars = handleChineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    /// <summary>Appends the normalized form of <paramref name="text"/> to <paramref name="output"/>.</summary>
    public void Normalize(ReadOnlySpan<char> text, ref CharBuffer output)
    {
        var nonStarters = new NonStarterRun();
        Span<int> parts = stackalloc int[CanonicalData.MaxDecompositionLength];
        int i = 0;
        while (i < text.Length)
        {
            output.Origin = i;
            char c = text[i];
            if (c < 0x80)
            {
                i++;
                if (cleanText)
                {
                    if (c is ' ' or '\t' or '\n' or '\r')
                        c = ' ';
                    else if (c < 0x20 || c == 0x7F)
                        continue;
                }
                nonStarters.Flush(this, ref output);
                output.Append(lowercase && char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out var rune, out int consumed) != OperationStatus.Done)
                rune = Rune.ReplacementChar; // a lone surrogate: cleaned away like U+FFFD
            i += consumed;
            int cp = rune.Value;
            if (cleanText)
            {
                if (cp == 0xFFFD || BertCharacters.IsControl(cp))
                    continue;
                if (BertCharacters.IsWhitespace(cp))
                {
                    nonStarters.Flush(this, ref output);
                    output.Append(' ');
                    continue;
                }
            }

            bool chinese = handleChineseChars && BertCharacters.IsChinese(cp);
            if (chinese)
            {
                nonStarters.Flush(this, ref output);
                output.Append(' ');
            }
            if (stripAccents)
            {
                int count = CanonicalData.Decompose(cp, parts);
                for (int p = 0; p < count; p++)
                    AppendDecomposed(parts[p], ref nonStarters, ref output);
            }
            else
            {
                AppendCased(cp, ref output);
            }
            if (chinese)
            {
                nonStarters.Flush(this, ref output);
                output.Append(' ');
            }
        }
        nonStarters.Flush(this, ref output);
    }

    private void AppendDecomposed(int cp, ref NonStarterRun nonStarters, ref CharBuffer output)
    {
        int combiningClass = CanonicalData.CombiningClass(cp);
        if (BertCharacters.IsNonSpacingMark(cp))
        {
            // Dropped. A dropped starter still ends the reordering run, as it would in NFD.
            if (combiningClass == 0)
                nonStarters.Flush(this, ref output);
            return;
        }
        if (combiningClass == 0)
        {
            nonStarters.Flush(this, ref output);
            AppendCased(cp, ref output);
        }
        else
        {
            nonStarters.Add(cp, combiningClass, output.Origin);
        }
    }

    private void AppendCased(int cp, ref CharBuffer output)
    {
        if (!lowercase)
        {
            output.Append(new Rune(cp));
        }
        else if (cp == 0x130)
        {
            // Rust's to_lowercase uses the full mapping: U+0130 → "i\u0307"; .NET's invariant mapping keeps it.
            output.Append('i');
            output.Append('\u0307');
        }
        else
        {
            output.Append(Rune.ToLowerInvariant(new Rune(cp)));
        }
    }

    /// <summary>
    /// Kept characters with a non-zero combining class, waiting for canonical ordering (a stable sort by class).
    /// Only a handful of spacing marks qualify (e.g. U+1D165), so this is almost always empty and never allocates then.
    /// </summary>
    private struct NonStarterRun
    {
        private List<(int CodePoint, int Class, int Origin)>? items;

        public void Add(int cp, int combiningClass, int origin)
        {
            items ??= new List<(int, int, int)>();
            int at = items.Count;
            while (at > 0 && items[at - 1].Class > combiningClass)
                at--;
            items.Insert(at, (cp, combiningClass, origin));
        }

        public readonly void Flush(BertNormalizer owner, ref CharBuffer output)
        {
            if (items is null || items.Count == 0)
                return;
            int current = output.Origin;
            foreach (var (cp, _, origin) in items)
            {
                output.Origin = origin;
                owner.AppendCased(cp, ref output);
            }
            output.Origin = current;
            items.Clear();
        }
    }
}
