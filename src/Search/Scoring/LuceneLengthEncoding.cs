namespace SearchRerank.Search.Scoring;

/// <summary>
/// Lucene's one-byte document-length norm (SmallFloat.intToByte4 / byte4ToInt): lengths below 24 are exact, larger
/// ones keep 4 significant bits, so e.g. 100 is read back as 96. Anserini's BM25 sees these rounded lengths;
/// applying the same rounding reproduces its rankings. Pure functions.
/// </summary>
public static class LuceneLengthEncoding
{
    // Lengths below this are stored verbatim; the remaining byte values hold a 4-bit-mantissa float of (length − 24).
    private const int FreeValues = 24;

    /// <summary>The length Lucene's BM25 uses for a field of <paramref name="length"/> tokens.</summary>
    public static int Quantize(int length) => Decode(Encode(length));

    public static byte Encode(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length < FreeValues ? (byte)length : (byte)(FreeValues + EncodeInt4(length - FreeValues));
    }

    public static int Decode(byte encoded) =>
        encoded < FreeValues ? encoded : checked((int)(FreeValues + DecodeInt4(encoded - FreeValues)));

    /// <summary>A tiny float: 3 mantissa bits below an implicit leading one, and the shift + 1 above them (0 = subnormal).</summary>
    private static int EncodeInt4(long value)
    {
        var bits = 64 - long.LeadingZeroCount(value);
        if (bits < 4)
            return (int)value;
        var shift = (int)bits - 4;
        return (int)((value >> shift) & 0x07) | ((shift + 1) << 3);
    }

    private static long DecodeInt4(int encoded)
    {
        long mantissa = encoded & 0x07;
        var shift = (encoded >> 3) - 1;
        return shift == -1 ? mantissa : (mantissa | 0x08) << shift;
    }
}
