// SearchRerank: tokenizer.json "Lowercase".
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Lowercases code point by code point as Rust's <c>char::to_lowercase</c>: Σ always becomes σ (no final-sigma rule),
/// and İ (U+0130) becomes "i" + U+0307, where .NET's invariant mapping would keep it.
/// </summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    public string Normalize(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130)
                output.Append("i\u0307");
            else
                output.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return output.ToString();
    }

    public override string ToString() => "Lowercase";
}
