using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Server;

/// <summary>
/// The one cross-encoder the service loads, shared by every request: its name for the APIs' <c>model</c> field, and
/// <see cref="RerankBatcher"/>, through which all scoring goes.
/// </summary>
internal sealed class ServedModel : IDisposable
{
    private ServedModel(string name, string directory, CrossEncoder encoder, RerankBatcher batcher)
    {
        Name = name;
        Directory = directory;
        Encoder = encoder;
        Batcher = batcher;
    }

    /// <summary>The model folder's name, returned as <c>model</c> by the re-rank APIs.</summary>
    public string Name { get; }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    public CrossEncoder Encoder { get; }

    public RerankBatcher Batcher { get; }

    public static ServedModel Load(string directory, ServiceOptions options, ServiceMetrics metrics)
    {
        var encoder = CrossEncoder.Load(directory, options.Encoder);
        try
        {
            var batcher = new RerankBatcher(encoder, options.MaxBatchTokens, options.MaxQueuedPairs, metrics);
            return new ServedModel(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), directory, encoder, batcher);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>The pairs (query, each document) encoded as the model reads them, cut to its maximum length.</summary>
    internal PairEncoding[] Encode(string query, IReadOnlyList<string> documents) =>
        documents.Select(document => Encoder.Tokenizer.EncodePair(query, document, Encoder.MaxLength)).ToArray();

    /// <summary>The raw logits of <paramref name="pairs"/>, scored in batches shared with other requests.</summary>
    internal Task<float[]> ScoreAsync(IReadOnlyList<PairEncoding> pairs, CancellationToken cancellationToken) =>
        Batcher.ScoreAsync(pairs, cancellationToken);

    /// <summary>A score as a relevance in (0, 1) (<see cref="RelevanceHead.Relevance"/>).</summary>
    public double Relevance(float score) => Encoder.Head.Relevance(score);

    public void Dispose()
    {
        Batcher.Dispose();
        Encoder.Dispose();
    }
}
