namespace SearchRerank.Server;

/// <summary>
/// How <c>searchrerank serve</c> runs: which indexes it serves (by name; a URL can only name one of these, never a
/// path), which model re-ranks, where it listens (loopback unless told otherwise), who may write and read, and the
/// limits that keep one client from starving the others.
/// </summary>
internal sealed record ServiceOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const int DefaultMaxBatchTokens = 16_384, DefaultMaxQueuedPairs = 8_192, DefaultMaxDocuments = 1_000;

    /// <summary>The indexes served, by the name URLs use (<c>/v1/{name}/search</c>), and their folders.</summary>
    public required IReadOnlyDictionary<string, string> Indexes { get; init; }

    /// <summary>The cross-encoder's model folder; null serves BM25 only and answers the re-rank APIs with 503.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Where Kestrel listens. Loopback by default: exposing the service is a decision, not an accident.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>Required (as <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>) for every write; without a key, writes are refused.</summary>
    public string? ApiKey { get; init; }

    /// <summary>With <see cref="ApiKey"/>, require it for reads too.</summary>
    public bool ProtectReads { get; init; }

    /// <summary>Tokens (query + document, specials included) one ONNX Runtime call takes at most, across requests (TEI's --max-batch-tokens).</summary>
    public int MaxBatchTokens { get; init; } = DefaultMaxBatchTokens;

    /// <summary>Pairs waiting for the model at most; a request that would queue more is answered 429 with Retry-After.</summary>
    public int MaxQueuedPairs { get; init; } = DefaultMaxQueuedPairs;

    /// <summary>Documents one re-rank request may carry; more is 413.</summary>
    public int MaxDocumentsPerRequest { get; init; } = DefaultMaxDocuments;

    /// <summary>Bytes of a request body; more is 413 (a bulk import is sent in several requests).</summary>
    public long MaxBodyBytes { get; init; } = 16L << 20;

    /// <summary>Characters of a query; more is 413.</summary>
    public int MaxQueryLength { get; init; } = 4_096;

    /// <summary>Hits one search may ask for.</summary>
    public int MaxHits { get; init; } = 1_000;

    /// <summary>First-stage hits re-scored per query when a search re-ranks and the request does not say.</summary>
    public int RerankDepth { get; init; } = 100;

    /// <summary>Origins allowed by CORS; empty (the default) sends no CORS headers at all.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Judgments the web page marks hits with (BEIR qrels), with <see cref="QueriesPath"/>.</summary>
    public string? QrelsPath { get; init; }

    /// <summary>The queries of <see cref="QrelsPath"/>, offered on the web page.</summary>
    public string? QueriesPath { get; init; }

    /// <summary>
    /// The primary of replicas (<c>--publish</c>): each index's writer is held for the service's lifetime and every
    /// commit is published at <c>/replicate/{index}/…</c> (Lucene's replication protocol) for replicas to pull.
    /// </summary>
    public bool Publish { get; init; }

    /// <summary>
    /// A read replica of the primary at this base URL (<c>--replica-of</c>): each index is replicated from
    /// <c>{url}/replicate/{name}</c> into its folder, and writes are refused (409) with the primary's address.
    /// </summary>
    public Uri? ReplicaOf { get; init; }

    /// <summary>How often a replica asks the primary for a newer revision.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After SIGTERM, how long <c>/readyz</c> answers 503 while requests are still served, before the listener closes:
    /// a load balancer's health check takes the instance out first, so no new request meets a closed port.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long a stop (SIGTERM, Ctrl-C) waits for requests in flight before it closes them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// ONNX Runtime settings for the model (threads, device, batch size inside one call). ORT's threads do not spin:
    /// the request threads share the cores with them (<see cref="Rerank.CrossEncoderOptions.SpinWait"/>).
    /// </summary>
    public Rerank.CrossEncoderOptions Encoder { get; init; } = new() { SpinWait = false };
}
