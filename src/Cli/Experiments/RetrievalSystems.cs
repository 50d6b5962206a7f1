using SearchRerank.Evaluation.Experiments;
using SearchRerank.Search;

namespace SearchRerank.Cli.Experiments;

/// <summary>
/// Builds experiment systems from <c>--system NAME=KIND[:…]</c> specs. One case per kind; a new kind (e.g. a
/// cross-encoder re-ranker over BM25) adds a case here and nothing else changes.
/// <list type="bullet">
/// <item><c>bm25[:k1=X,b=Y,title=W,depth=K]</c>: the library's BM25 (defaults: the index's k1/b, title weight 1).</item>
/// <item><c>fts5[:title=W,depth=K]</c>: SQLite FTS5's built-in bm25() (k1 = 1.2, b = 0.75 fixed).</item>
/// </list>
/// </summary>
public static class RetrievalSystems
{
    public const string Kinds = "bm25[:k1=X,b=Y,title=W,depth=K], fts5[:title=W,depth=K]";

    public static IRetrievalSystem Create(SystemSpec spec, string indexDirectory, int defaultDepth)
    {
        IRetrievalSystem system = spec.Kind switch
        {
            "bm25" => new Bm25System(spec.Name, indexDirectory, new SearchOptions
            {
                K1 = spec.Double("k1"),
                B = spec.Double("b"),
                TitleWeight = spec.Double("title") ?? 1.0,
            }, spec.Int("depth") ?? defaultDepth),
            "fts5" => new Bm25System(spec.Name, indexDirectory, new SearchOptions
            {
                Ranking = RankingFunction.Fts5Bm25,
                TitleWeight = spec.Double("title") ?? 1.0,
            }, spec.Int("depth") ?? defaultDepth),
            _ => throw new ArgumentException($"--system '{spec.Text}': unknown kind '{spec.Kind}' (known: {Kinds})"),
        };
        try
        {
            spec.RequireAllUsed();
        }
        catch
        {
            (system as IDisposable)?.Dispose();
            throw;
        }
        return system;
    }
}
