namespace SearchRerank.Search.Analysis;

/// <summary>Lowercases terms with invariant-culture rules (no Turkish dotless-i surprises), like Lucene's LowerCaseFilter.</summary>
public sealed class LowerCaseFilter : TokenFilter
{
    public LowerCaseFilter(TokenStream input) : base(input) { }

    protected override string? Filter(string term)
    {
        foreach (var c in term)
        {
            // Fast path: most terms are already lowercase, so avoid allocating a copy.
            if (char.IsUpper(c) || (c > '\u007f' && char.ToLowerInvariant(c) != c))
                return term.ToLowerInvariant();
        }
        return term;
    }
}
