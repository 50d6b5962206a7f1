namespace SearchRerank.Search.Analysis;

/// <summary>Stems each term with <see cref="PorterStemmer"/>; expects lowercase input.</summary>
public sealed class PorterStemFilter : TokenFilter
{
    public PorterStemFilter(TokenStream input) : base(input) { }

    protected override string? Filter(string term) => PorterStemmer.Stem(term);
}
