// SearchRerank: tokenizer.json "WhitespaceSplit".
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Splits on whitespace (Rust's <c>char::is_whitespace</c>) and drops it.</summary>
internal sealed class WhitespaceSplitPreTokenizer : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        string text = piece.Text;
        int start = -1, i = 0;
        while (i <= text.Length)
        {
            int length = 1;
            bool space = i == text.Length || RustChars.IsWhitespace(RustChars.CodePointAt(text, i, out length));
            if (space && start >= 0)
            {
                output.Add(new PreToken(text[start..i], piece.AtStart && start == 0));
                start = -1;
            }
            else if (!space && start < 0)
            {
                start = i;
            }
            i += length;
        }
    }

    public override string ToString() => "WhitespaceSplit";
}
