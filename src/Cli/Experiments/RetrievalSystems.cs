using Lucene.Net.Search.Similarities;
using SearchRerank.Eval.Experiments;
using SearchRerank.Rerank;
using SearchRerank.Search;

namespace SearchRerank.Cli.Experiments;

/// <summary>
/// Builds experiment systems from <c>--system NAME=KIND[:…]</c> specs. One case per kind; a new kind (e.g. a
/// cross-encoder re-ranker over BM25) adds a case here and nothing else changes.
/// <list type="bullet">
/// <item><c>bm25[:k1=X,b=Y,depth=K]</c>: Lucene's BM25 (defaults: the index's k1/b).</item>
/// <item><c>lmdirichlet[:mu=M,depth=K]</c>: Lucene's Dirichlet-smoothed query likelihood (default μ = 2000).</item>
/// <item><c>rerank:model=DIR[,depth=K,alpha=A|none,k1=X,b=Y,maxlen=N,batch=N,threads=N]</c>: BM25 top-K (default 100)
/// re-ranked by the cross-encoder in DIR; <c>alpha</c> fuses α·z(BM25) + (1−α)·z(CE), <c>none</c> keeps raw logits,
/// and without it the model's <c>fusion.json</c> decides (its α on the collection it was trained on, the off-domain α 0.7 on
/// another one: <see cref="FusionChoice"/>).</item>
/// </list>
/// </summary>
public static class RetrievalSystems
{
    public const string Kinds = "bm25[:k1=X,b=Y,depth=K], lmdirichlet[:mu=M,depth=K], rerank:model=DIR[,depth=K,alpha=A|none,k1=X,b=Y,maxlen=N,batch=N,threads=N]";

    public static IRetrievalSystem Create(SystemSpec spec, string indexDirectory, int defaultDepth)
    {
        IRetrievalSystem system = spec.Kind switch
        {
            "bm25" => new FirstStageSystem(spec.Name, indexDirectory, new SearchOptions
            {
                K1 = spec.Double("k1"),
                B = spec.Double("b"),
            }, spec.Int("depth") ?? defaultDepth),
            "lmdirichlet" => new FirstStageSystem(spec.Name, indexDirectory, new SearchOptions
            {
                Similarity = new LMDirichletSimilarity((float)(spec.Double("mu") ?? 2000)),
            }, spec.Int("depth") ?? defaultDepth),
            "rerank" => CreateRerank(spec, indexDirectory),
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

    /// <summary>The model's default fusion on this index (<see cref="FusionChoice"/>).</summary>
    private static ScoreFusion? DefaultFusion(string model, string indexDirectory)
    {
        using var searcher = Searcher.Open(indexDirectory);
        return FusionChoice.For(model, CollectionFingerprint.Of(searcher)).Fusion;
    }

    private static RerankSystem CreateRerank(SystemSpec spec, string indexDirectory)
    {
        var model = spec.String("model") ?? throw new ArgumentException($"--system '{spec.Text}': rerank needs model=DIR");
        var alpha = spec.String("alpha");
        var fusion = alpha switch
        {
            null => DefaultFusion(model, indexDirectory),
            "none" => null,
            _ => new ScoreFusion(spec.Double("alpha")!.Value),
        };
        var options = new CrossEncoderOptions
        {
            MaxLength = spec.Int("maxlen"),
            BatchSize = spec.Int("batch") ?? 32,
            Threads = spec.Int("threads") ?? 0,
        };
        var firstStage = new SearchOptions { K1 = spec.Double("k1"), B = spec.Double("b") };
        return new RerankSystem(spec.Name, indexDirectory, firstStage, model, options, fusion, spec.Int("depth") ?? 100);
    }
}
