// SearchRerank: SentencePiece's precompiled normalization map (a Darts double-array trie over UTF-8).
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// The <c>precompiled_charsmap</c> blob of SentencePiece models: a little-endian u32 trie size in bytes, the trie as
/// u32 units of a Darts-clone double array keyed by UTF-8 bytes, then NUL-terminated replacement strings that the
/// trie's values point into. Lookups return the replacement of the shortest matching prefix, as the
/// <c>spm_precompiled</c> crate of Hugging Face tokenizers does. Immutable, thread-safe.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] units;
    private readonly byte[] strings;
    private readonly ConcurrentDictionary<int, string> replacements = new();

    /// <exception cref="FormatException">The blob is too short for its declared trie.</exception>
    public PrecompiledCharsMap(byte[] blob)
    {
        if (blob.Length < 4)
            throw new FormatException($"{blob.Length} bytes, too short for the trie size");
        uint trieBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieBytes % 4 != 0 || 4 + (long)trieBytes > blob.Length)
            throw new FormatException($"trie size {trieBytes} does not fit the {blob.Length}-byte blob");
        units = new uint[trieBytes / 4];
        for (int i = 0; i < units.Length; i++)
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4 + 4 * i));
        strings = blob[(4 + (int)trieBytes)..];
    }

    public bool IsEmpty => units.Length == 0;

    /// <summary>The replacement for the shortest prefix of <paramref name="utf8"/> that the map holds, or null.</summary>
    public string? Replacement(ReadOnlySpan<byte> utf8)
    {
        if (units.Length == 0)
            return null;
        int node = (int)Offset(units[0]);
        foreach (byte c in utf8)
        {
            if (c == 0)
                break;
            node ^= c;
            if ((uint)node >= (uint)units.Length)
                return null;
            uint unit = units[node];
            if (Label(unit) != c)
                return null;
            node ^= (int)Offset(unit);
            if (HasLeaf(unit))
            {
                if ((uint)node >= (uint)units.Length)
                    return null;
                int value = (int)(units[node] & 0x7FFFFFFF);
                return value < strings.Length ? replacements.GetOrAdd(value, ReadAt) : null;
            }
        }
        return null;
    }

    /// <summary>The NUL-terminated replacement string that starts at <paramref name="offset"/>.</summary>
    private string ReadAt(int offset)
    {
        var rest = strings.AsSpan(offset);
        int end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static uint Label(uint unit) => unit & ((1u << 31) | 0xFF);

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
