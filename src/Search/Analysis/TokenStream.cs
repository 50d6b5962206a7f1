namespace SearchRerank.Search.Analysis;

/// <summary>
/// A pull-based stream of terms: a tokenizer at the source, then filters that each wrap the previous stream.
/// Consumers call <see cref="Next"/> until it returns false. A stream is single-use and not thread-safe;
/// analyzers build a fresh chain per text.
/// </summary>
public abstract class TokenStream
{
    /// <summary>Advances to the next term; returns false at the end of the stream.</summary>
    public abstract bool Next(out string term);
}
