// SearchRerank: a growable char buffer on pooled arrays.
using System.Buffers;
using System.Text;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Growable char buffer backed by <see cref="ArrayPool{T}"/>, so tokenizing a text allocates nothing per character.
/// When created with <c>trackOrigins</c>, it also records for each char the index of the source character it came from
/// (<see cref="Origin"/> at the time it was appended), which maps normalized text back to the original for offsets.
/// Owned by one call; <see cref="Dispose"/> returns the arrays to the pool.
/// </summary>
internal struct CharBuffer : IDisposable
{
    private char[] array;
    private int[]? origins;

    public CharBuffer(int capacity, bool trackOrigins = false)
    {
        array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));
        origins = trackOrigins ? ArrayPool<int>.Shared.Rent(array.Length) : null;
        Length = 0;
        Origin = 0;
    }

    public int Length { get; private set; }

    /// <summary>The source index recorded for the chars appended next (only kept when origins are tracked).</summary>
    public int Origin { get; set; }

    public readonly ReadOnlySpan<char> Span => array.AsSpan(0, Length);

    /// <summary>Source index of each char of <see cref="Span"/>; empty when origins are not tracked.</summary>
    public readonly ReadOnlySpan<int> Origins => origins is null ? default : origins.AsSpan(0, Length);

    public void Append(char c)
    {
        if (Length == array.Length)
            Grow(1);
        if (origins is not null)
            origins[Length] = Origin;
        array[Length++] = c;
    }

    public void Append(Rune rune)
    {
        if (Length + 2 > array.Length)
            Grow(2);
        int written = rune.EncodeToUtf16(array.AsSpan(Length));
        if (origins is not null)
            origins.AsSpan(Length, written).Fill(Origin);
        Length += written;
    }

    private void Grow(int extra)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(array.Length * 2, Length + extra));
        array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(array);
        array = bigger;
        if (origins is not null)
        {
            var biggerOrigins = ArrayPool<int>.Shared.Rent(bigger.Length);
            origins.AsSpan(0, Length).CopyTo(biggerOrigins);
            ArrayPool<int>.Shared.Return(origins);
            origins = biggerOrigins;
        }
    }

    public void Dispose()
    {
        if (array is not null)
            ArrayPool<char>.Shared.Return(array);
        if (origins is not null)
            ArrayPool<int>.Shared.Return(origins);
        array = null!;
        origins = null;
    }
}
