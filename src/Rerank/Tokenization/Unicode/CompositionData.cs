// SearchRerank: compatibility decomposition and canonical composition of code points, for NFC/NFKC/NFKD.
namespace SearchRerank.Rerank.Tokenization.Unicode;

/// <summary>
/// Lookups into the generated <see cref="CompositionData"/> tables (Unicode 14.0, like <see cref="CanonicalData"/>);
/// Hangul syllables are composed algorithmically (UAX #15). Pure and thread-safe.
/// </summary>
internal static partial class CompositionData
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28, HangulNCount = 21 * 28, HangulSCount = 11172;

    /// <summary>The full compatibility decomposition of <paramref name="codePoint"/>, or empty when it equals the canonical one.</summary>
    public static ReadOnlySpan<int> Compatibility(int codePoint)
    {
        if (codePoint < 0xA0)
            return default;
        int index = CompatibilityKeys.BinarySearch(codePoint);
        if (index < 0)
            return default;
        var offsets = CompatibilityOffsets;
        return CompatibilityValues[offsets[index]..offsets[index + 1]];
    }

    /// <summary>The primary composite of <paramref name="first"/> followed by <paramref name="second"/>, if there is one.</summary>
    public static bool TryCompose(int first, int second, out int composite)
    {
        int l = first - HangulLBase, v = second - HangulVBase;
        if ((uint)l < HangulLCount && (uint)v < HangulVCount)
        {
            composite = HangulSBase + (l * HangulVCount + v) * HangulTCount;
            return true;
        }
        int s = first - HangulSBase, t = second - HangulTBase;
        if ((uint)s < HangulSCount && s % HangulTCount == 0 && t > 0 && t < HangulTCount)
        {
            composite = first + t;
            return true;
        }

        var triples = CompositionTriples;
        int lo = 0, hi = triples.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int a = triples[3 * mid], b = triples[3 * mid + 1];
            if (a < first || (a == first && b < second))
                lo = mid + 1;
            else if (a > first || b > second)
                hi = mid - 1;
            else
            {
                composite = triples[3 * mid + 2];
                return true;
            }
        }
        composite = 0;
        return false;
    }
}
