// SearchRerank: tokenizer.json "Metaspace" (SentencePiece's ▁ word boundaries).
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>When Metaspace puts the replacement character in front of a piece.</summary>
internal enum PrependScheme { Always, First, Never }

/// <summary>
/// Replaces each space by the replacement character (▁), puts one in front of the piece unless it already starts with
/// one (<see cref="PrependScheme.Always"/>; <see cref="PrependScheme.First"/> only for the piece at the start of the
/// input), and, when <c>split</c>, cuts before each replacement character (Hugging Face's MergedWithNext). The old
/// serialization's <c>add_prefix_space: true/false</c> is Always/Never.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme prependScheme, bool split) : IPreTokenizer
{
    public char Replacement => replacement;

    public PrependScheme PrependScheme => prependScheme;

    public void Split(PreToken piece, List<PreToken> output)
    {
        string text = piece.Text.Replace(' ', replacement);
        bool prepend = prependScheme == PrependScheme.Always || (prependScheme == PrependScheme.First && piece.AtStart);
        if (prepend && !text.StartsWith(replacement))
            text = replacement + text;
        if (!split)
        {
            if (text.Length > 0)
                output.Add(piece with { Text = text });
            return;
        }
        int start = 0;
        for (int i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == replacement)
            {
                if (i > start)
                    output.Add(new PreToken(text[start..i], piece.AtStart && start == 0));
                start = i;
            }
        }
    }

    public override string ToString() => $"Metaspace({replacement},prepend={prependScheme.ToString().ToLowerInvariant()},split={(split ? "true" : "false")})";
}
