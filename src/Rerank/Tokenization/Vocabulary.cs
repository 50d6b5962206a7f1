// SearchRerank: WordPiece vocabulary, token ↔ id.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Token ↔ id maps of a WordPiece vocabulary. Lookups by span go through the dictionary's alternate
/// lookup, so the hot path never allocates a string per candidate piece. Immutable, thread-safe.
/// </summary>
internal sealed class Vocabulary
{
    private readonly string?[] tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> spanIds;

    /// <param name="ids">token → id; ids need not be contiguous (gaps have no token).</param>
    public Vocabulary(Dictionary<string, int> ids)
    {
        spanIds = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        int size = 0;
        foreach (var (token, id) in ids)
        {
            size = Math.Max(size, id + 1);
            MaxTokenLength = Math.Max(MaxTokenLength, token.Length);
        }
        tokens = new string?[size];
        foreach (var (token, id) in ids)
            tokens[id] = token;
    }

    /// <summary>One more than the largest id.</summary>
    public int Size => tokens.Length;

    /// <summary>Longest token in UTF-16 chars: no longer piece can match, so the greedy search starts there.</summary>
    public int MaxTokenLength { get; }

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => spanIds.TryGetValue(token, out id);

    public string? TokenOrNull(int id) => (uint)id < (uint)tokens.Length ? tokens[id] : null;

    /// <summary>Tokens in id order (null for unused ids), for fingerprinting.</summary>
    public IReadOnlyList<string?> Tokens => tokens;
}
