// SearchRerank: tokenizer.json "Replace".
using System.Text.RegularExpressions;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Replaces every occurrence of a literal string or of a regular expression (e.g. XLM-R's and DeBERTa-v3's
/// <c>" {2,}"</c> → <c>" "</c>). The patterns these conversions use mean the same in .NET as in Oniguruma.
/// </summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly string? literal;
    private readonly Regex? regex;
    private readonly string content;

    private ReplaceNormalizer(string? literal, Regex? regex, string content)
    {
        this.literal = literal;
        this.regex = regex;
        this.content = content;
    }

    public static ReplaceNormalizer Literal(string pattern, string content) => new(pattern, null, content);

    public static ReplaceNormalizer Pattern(string pattern, string content) =>
        new(null, new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled), content);

    public string Normalize(string text) =>
        regex is not null ? regex.Replace(text, content.Replace("$", "$$")) : literal!.Length == 0 ? text : text.Replace(literal, content, StringComparison.Ordinal);

    public override string ToString() => $"Replace({(regex is not null ? "/" + regex + "/" : literal)} → {content})";
}
