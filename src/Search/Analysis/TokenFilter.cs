namespace SearchRerank.Search.Analysis;

/// <summary>
/// A stream stage that rewrites or drops the terms of its input. Subclasses override only <see cref="Filter"/>:
/// return the (possibly rewritten) term, or null to drop it. Empty results are dropped too, so no filter
/// can emit an empty term.
/// </summary>
public abstract class TokenFilter : TokenStream
{
    private readonly TokenStream input;

    protected TokenFilter(TokenStream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        this.input = input;
    }

    /// <summary>The term to pass on, or null to drop <paramref name="term"/>.</summary>
    protected abstract string? Filter(string term);

    public sealed override bool Next(out string term)
    {
        while (input.Next(out var raw))
        {
            var filtered = Filter(raw);
            if (!string.IsNullOrEmpty(filtered))
            {
                term = filtered;
                return true;
            }
        }
        term = string.Empty;
        return false;
    }
}
