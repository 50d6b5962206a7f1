// SearchRerank: canonical decomposition (NFD) of single code points, for accent stripping.
namespace SearchRerank.Rerank.Tokenization.Unicode;

/// <summary>
/// Canonical (NFD) decomposition and combining classes from the generated <see cref="CanonicalData"/> tables.
/// Exists because string.Normalize is a no-op for non-ASCII text under InvariantGlobalization, which this
/// project uses; the tables make accent stripping independent of ICU and of the host's Unicode version.
/// </summary>
internal static partial class CanonicalData
{
    /// <summary>The longest full canonical decomposition of one code point (Hangul syllables give 3).</summary>
    public const int MaxDecompositionLength = 4;

    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulTCount = 28, HangulNCount = 21 * 28, HangulSCount = 11172;

    /// <summary>
    /// Writes the full canonical decomposition of <paramref name="codePoint"/> into <paramref name="destination"/>
    /// (at least <see cref="MaxDecompositionLength"/> long) and returns its length (1 when it does not decompose).
    /// </summary>
    public static int Decompose(int codePoint, Span<int> destination)
    {
        if (codePoint < 0xC0)
        {
            destination[0] = codePoint;
            return 1;
        }
        int s = codePoint - HangulSBase;
        if ((uint)s < HangulSCount)
        {
            destination[0] = HangulLBase + s / HangulNCount;
            destination[1] = HangulVBase + s % HangulNCount / HangulTCount;
            int t = s % HangulTCount;
            if (t == 0)
                return 2;
            destination[2] = HangulTBase + t;
            return 3;
        }
        int index = DecompositionKeys.BinarySearch(codePoint);
        if (index < 0)
        {
            destination[0] = codePoint;
            return 1;
        }
        var offsets = DecompositionOffsets;
        var parts = DecompositionValues[offsets[index]..offsets[index + 1]];
        for (int i = 0; i < parts.Length; i++)
            destination[i] = parts[i];
        return parts.Length;
    }

    /// <summary>The canonical combining class (0 for starters).</summary>
    public static int CombiningClass(int codePoint)
    {
        if (codePoint < 0x300)
            return 0;
        var ranges = CombiningClassRanges;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (codePoint < ranges[3 * mid])
                hi = mid - 1;
            else if (codePoint > ranges[3 * mid + 1])
                lo = mid + 1;
            else
                return ranges[3 * mid + 2];
        }
        return 0;
    }
}
