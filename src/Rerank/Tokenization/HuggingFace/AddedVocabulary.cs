// SearchRerank: finds added tokens in text as Hugging Face's AddedVocabulary does.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Cuts added tokens out of text: first those with <c>normalized: false</c> from the raw text, then, in each stretch
/// between them after normalization, those with <c>normalized: true</c> (whose content is normalized the same way).
/// Matching is leftmost-longest; <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> follow Hugging Face's
/// <c>find_matches</c>. Immutable, thread-safe.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<int, AddedTokenSpec> byId;
    private readonly AddedTokenSplitter raw;
    private readonly AddedTokenSplitter normalized;

    public AddedVocabulary(IReadOnlyList<AddedTokenSpec> tokens, INormalizer? normalizer)
    {
        Tokens = tokens;
        byId = tokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Last());
        raw = new AddedTokenSplitter(tokens.Where(t => !t.Normalized).Select(t => (t.Content, t.Id)));
        normalized = new AddedTokenSplitter(tokens.Where(t => t.Normalized)
            .Select(t => (normalizer?.Normalize(t.Content) ?? t.Content, t.Id)));
    }

    public IReadOnlyList<AddedTokenSpec> Tokens { get; }

    /// <summary>
    /// Splits <paramref name="text"/> by the raw (<paramref name="normalizedPass"/> false) or normalized added tokens into
    /// (token id or -1 for text, start, end) pieces covering the text; text pieces may be empty.
    /// </summary>
    public void Split(string text, bool normalizedPass, List<(int Id, int Start, int End)> output)
    {
        var splitter = normalizedPass ? normalized : raw;
        int done = 0, position = 0;
        while (position < text.Length)
        {
            int at = splitter.FindNext(text, position, out int length, out int id);
            if (at < 0)
                break;
            position = at + length;
            var token = byId[id];
            int start = at, stop = at + length;
            if (token.SingleWord && (!(start == 0 || !IsWordChar(RustChars.CodePointBefore(text, start)))
                                     || !(stop == text.Length || !IsWordChar(RustChars.CodePointAt(text, stop, out _)))))
                continue;
            if (token.LStrip)
            {
                int newStart = start;
                while (newStart > 0 && RustChars.IsWhitespace(RustChars.CodePointBefore(text, newStart)))
                    newStart -= char.IsLowSurrogate(text[newStart - 1]) && newStart > 1 ? 2 : 1;
                start = Math.Max(newStart, done);
            }
            if (token.RStrip)
            {
                while (stop < text.Length && RustChars.IsWhitespace(RustChars.CodePointAt(text, stop, out int n)))
                    stop += n;
            }
            if (done < start)
                output.Add((-1, done, start));
            output.Add((id, start, stop));
            done = stop;
        }
        if (done != text.Length || text.Length == 0)
            output.Add((-1, done, text.Length));
    }

    private static bool IsWordChar(int cp) => cp == '_' || RustChars.IsAlphanumeric(cp);
}
