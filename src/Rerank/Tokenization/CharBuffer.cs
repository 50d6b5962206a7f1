// SearchRerank: a growable char buffer on pooled arrays.
using System.Buffers;
using System.Text;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Growable char buffer backed by <see cref="ArrayPool{T}"/>, so tokenizing a text allocates nothing per character.
/// Owned by one call; <see cref="Dispose"/> returns the array to the pool.
/// </summary>
internal struct CharBuffer : IDisposable
{
    private char[] array;

    public CharBuffer(int capacity)
    {
        array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));
        Length = 0;
    }

    public int Length { get; private set; }

    public readonly ReadOnlySpan<char> Span => array.AsSpan(0, Length);

    public void Append(char c)
    {
        if (Length == array.Length)
            Grow(1);
        array[Length++] = c;
    }

    public void Append(Rune rune)
    {
        if (Length + 2 > array.Length)
            Grow(2);
        Length += rune.EncodeToUtf16(array.AsSpan(Length));
    }

    private void Grow(int extra)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(array.Length * 2, Length + extra));
        array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(array);
        array = bigger;
    }

    public void Dispose()
    {
        if (array is not null)
            ArrayPool<char>.Shared.Return(array);
        array = null!;
    }
}
