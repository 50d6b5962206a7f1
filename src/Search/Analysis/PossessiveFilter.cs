namespace SearchRerank.Search.Analysis;

/// <summary>
/// Removes a trailing English possessive <c>'s</c> (apostrophe U+0027, or the typographic U+2019 / U+FF07),
/// as Lucene's EnglishPossessiveFilter: "Porter's" becomes "Porter". Runs before lowercasing, so it accepts "'S" too.
/// </summary>
public sealed class PossessiveFilter : TokenFilter
{
    public PossessiveFilter(TokenStream input) : base(input) { }

    protected override string? Filter(string term)
    {
        if (term.Length >= 2 && term[^1] is 's' or 'S' && term[^2] is '\'' or '\u2019' or '\uFF07')
            return term[..^2];
        return term;
    }
}
