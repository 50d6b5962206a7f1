using System.Buffers.Binary;
using System.Text;
using Lucene.Net.Util;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank.Pretokenization;

/// <summary>
/// The value of <see cref="IndexSchema.WordPieceIds"/>: a model tokenizer's ids of a document's
/// <c>title + " " + text</c>, tagged with the tokenizer's fingerprint so that ids made for one vocabulary are never
/// served to another. Layout: version byte (1), id width in bytes (2 when every id fits 16 bits, else 4), fingerprint
/// length, the fingerprint in UTF-8, then the ids little-endian. An empty value means "not pre-tokenized".
/// </summary>
internal static class PretokenizedIds
{
    private const byte Version = 1;

    public static BytesRef Encode(string fingerprint, ReadOnlySpan<int> ids)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        var tag = Encoding.UTF8.GetBytes(fingerprint);
        if (tag.Length > byte.MaxValue)
            throw new ArgumentException($"tokenizer fingerprint is {tag.Length} bytes; at most {byte.MaxValue} fit", nameof(fingerprint));
        var width = 2;
        foreach (var id in ids)
        {
            if (id < 0)
                throw new ArgumentOutOfRangeException(nameof(ids), id, "token ids must not be negative");
            if (id > ushort.MaxValue)
                width = 4;
        }
        var bytes = new byte[3 + tag.Length + width * ids.Length];
        bytes[0] = Version;
        bytes[1] = (byte)width;
        bytes[2] = (byte)tag.Length;
        tag.CopyTo(bytes, 3);
        var body = bytes.AsSpan(3 + tag.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            if (width == 2)
                BinaryPrimitives.WriteUInt16LittleEndian(body[(2 * i)..], (ushort)ids[i]);
            else
                BinaryPrimitives.WriteInt32LittleEndian(body[(4 * i)..], ids[i]);
        }
        return new BytesRef(bytes);
    }

    /// <summary>The ids in <paramref name="value"/> when it was made by the tokenizer with <paramref name="fingerprint"/>.</summary>
    /// <exception cref="InvalidDataException">The value is tagged with the fingerprint but its length does not fit its layout.</exception>
    public static bool TryDecode(BytesRef value, string fingerprint, out int[] ids)
    {
        ids = [];
        if (!HasFingerprint(value, fingerprint))
            return false;
        var span = value.Bytes.AsSpan(value.Offset, value.Length);
        int width = span[1];
        var body = span[(3 + span[2])..];
        if (width is not (2 or 4) || body.Length % width != 0)
            throw new InvalidDataException($"pre-tokenized ids of {value.Length} bytes do not fit their layout (id width {width}); run 'searchrerank pretokenize' again");
        ids = new int[body.Length / width];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(body[(2 * i)..]) : BinaryPrimitives.ReadInt32LittleEndian(body[(4 * i)..]);
        return true;
    }

    /// <summary>True when <paramref name="value"/> holds ids made by the tokenizer with <paramref name="fingerprint"/>.</summary>
    public static bool HasFingerprint(BytesRef value, string fingerprint)
    {
        if (value.Length < 3 || value.Bytes[value.Offset] != Version)
            return false;
        var span = value.Bytes.AsSpan(value.Offset, value.Length);
        int tagLength = span[2];
        return span.Length >= 3 + tagLength && Encoding.UTF8.GetString(span.Slice(3, tagLength)) == fingerprint;
    }

    /// <summary>The fingerprint <paramref name="value"/> is tagged with, or null when it holds no ids.</summary>
    public static string? FingerprintOf(BytesRef value)
    {
        if (value.Length < 3 || value.Bytes[value.Offset] != Version || value.Length < 3 + value.Bytes[value.Offset + 2])
            return null;
        return Encoding.UTF8.GetString(value.Bytes, value.Offset + 3, value.Bytes[value.Offset + 2]);
    }
}
