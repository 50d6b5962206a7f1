using System.Collections.Frozen;

namespace SearchRerank.Search.Analysis;

/// <summary>Drops terms found in a stop set. Matching is exact (ordinal), so it must follow lowercasing in a chain.</summary>
public sealed class StopFilter : TokenFilter
{
    private readonly FrozenSet<string> stopWords;

    public StopFilter(TokenStream input, FrozenSet<string> stopWords) : base(input)
    {
        ArgumentNullException.ThrowIfNull(stopWords);
        this.stopWords = stopWords;
    }

    protected override string? Filter(string term) => stopWords.Contains(term) ? null : term;
}
