namespace SearchRerank.Train.Modeling;

/// <summary>
/// Row-major [<see cref="Size"/>, <see cref="SequenceLength"/>] token arrays. Rows shorter than the longest are
/// right-padded with id 0, token type 0, attention mask 0 (as Hugging Face batches).
/// </summary>
internal sealed class EncodedBatch
{
    private EncodedBatch(int size, int sequenceLength, int[] inputIds, int[] tokenTypeIds, int[] attentionMask, int[]? exactMatchIds)
    {
        Size = size;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        ExactMatchIds = exactMatchIds;
    }

    public int Size { get; }

    public int SequenceLength { get; }

    public int[] InputIds { get; }

    public int[] TokenTypeIds { get; }

    public int[] AttentionMask { get; }

    /// <summary>Null when no exact-match flags were given (the model then uses zeros).</summary>
    public int[]? ExactMatchIds { get; }

    /// <summary>Some row is shorter than the batch: the attention mask has zeros.</summary>
    public bool IsPadded => Array.IndexOf(AttentionMask, 0) >= 0;

    /// <summary>
    /// Pads rows to the longest one. <paramref name="tokenTypeIds"/> and <paramref name="exactMatchIds"/> rows must
    /// have the same length as the matching <paramref name="inputIds"/> row.
    /// </summary>
    public static EncodedBatch Pad(IReadOnlyList<int[]> inputIds, IReadOnlyList<int[]> tokenTypeIds, IReadOnlyList<int[]>? exactMatchIds = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(tokenTypeIds);
        if (inputIds.Count == 0)
            throw new ArgumentException("EncodedBatch: a batch needs at least one row", nameof(inputIds));
        if (tokenTypeIds.Count != inputIds.Count)
            throw new ArgumentException($"EncodedBatch: {tokenTypeIds.Count} token type rows for {inputIds.Count} input rows", nameof(tokenTypeIds));
        if (exactMatchIds is not null && exactMatchIds.Count != inputIds.Count)
            throw new ArgumentException($"EncodedBatch: {exactMatchIds.Count} exact-match rows for {inputIds.Count} input rows", nameof(exactMatchIds));

        int rows = inputIds.Count;
        int length = 0;
        for (int r = 0; r < rows; r++)
        {
            if (inputIds[r].Length == 0)
                throw new ArgumentException($"EncodedBatch: row {r} is empty", nameof(inputIds));
            if (tokenTypeIds[r].Length != inputIds[r].Length)
                throw new ArgumentException($"EncodedBatch: row {r} has {inputIds[r].Length} ids but {tokenTypeIds[r].Length} token types", nameof(tokenTypeIds));
            if (exactMatchIds is not null && exactMatchIds[r].Length != inputIds[r].Length)
                throw new ArgumentException($"EncodedBatch: row {r} has {inputIds[r].Length} ids but {exactMatchIds[r].Length} exact-match flags", nameof(exactMatchIds));
            length = Math.Max(length, inputIds[r].Length);
        }

        var ids = new int[rows * length];
        var types = new int[rows * length];
        var mask = new int[rows * length];
        var exact = exactMatchIds is null ? null : new int[rows * length];
        for (int r = 0; r < rows; r++)
        {
            int n = inputIds[r].Length;
            inputIds[r].CopyTo(ids, r * length);
            tokenTypeIds[r].CopyTo(types, r * length);
            mask.AsSpan(r * length, n).Fill(1);
            exactMatchIds?[r].CopyTo(exact!, r * length);
        }
        return new EncodedBatch(rows, length, ids, types, mask, exact);
    }

    /// <summary>Wraps arrays that are already padded; each must hold size × sequenceLength values.</summary>
    public static EncodedBatch FromPadded(int size, int sequenceLength, int[] inputIds, int[] tokenTypeIds, int[] attentionMask, int[]? exactMatchIds = null)
    {
        if (size <= 0 || sequenceLength <= 0)
            throw new ArgumentException($"EncodedBatch: size {size} and sequence length {sequenceLength} must be positive");
        long n = (long)size * sequenceLength;
        Require(inputIds, n, nameof(inputIds));
        Require(tokenTypeIds, n, nameof(tokenTypeIds));
        Require(attentionMask, n, nameof(attentionMask));
        if (exactMatchIds is not null)
            Require(exactMatchIds, n, nameof(exactMatchIds));
        return new EncodedBatch(size, sequenceLength, inputIds, tokenTypeIds, attentionMask, exactMatchIds);
    }

    private static void Require(int[] values, long n, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != n)
            throw new ArgumentException($"EncodedBatch: {name} has {values.Length} values, expected {n}", name);
    }
}
