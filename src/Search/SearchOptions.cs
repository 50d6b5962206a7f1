using Lucene.Net.Search.Similarities;

namespace SearchRerank.Search;

/// <summary>
/// How a <see cref="Searcher"/> ranks.
/// <list type="bullet">
/// <item><see cref="Similarity"/>: the scoring strategy, any Lucene <c>Similarity</c> (e.g. <c>LMDirichletSimilarity</c>);
/// null is BM25 with the index's k1 and b, or with <see cref="K1"/>/<see cref="B"/> when set (they apply to BM25 only).</item>
/// <item><see cref="Analyzer"/>: the analyzer the caller expects; null takes the index's, and any other name than the
/// index's is an error (queries must be analysed as the documents were).</item>
/// <item><see cref="Syntax"/>: free text (default) or Lucene's query syntax.</item>
/// <item><see cref="IncludeContent"/> false leaves <see cref="Hit.Title"/>/<see cref="Hit.Text"/> empty, which saves
/// reading k stored documents when only ids and scores are needed (run files).</item>
/// </list>
/// </summary>
public sealed record SearchOptions
{
    public double? K1 { get; init; }
    public double? B { get; init; }
    public Similarity? Similarity { get; init; }
    public string? Analyzer { get; init; }
    public QuerySyntax Syntax { get; init; } = QuerySyntax.FreeText;
    public bool IncludeContent { get; init; } = true;
}
