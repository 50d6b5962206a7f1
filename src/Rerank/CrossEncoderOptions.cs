namespace SearchRerank.Rerank;

/// <summary>How a <see cref="CrossEncoder"/> tokenizes, batches and runs. Defaults suit a MiniLM-sized model on CPU.</summary>
public sealed record CrossEncoderOptions
{
    /// <summary>The pair length when the model folder records none (the paper's and most re-rankers' 256).</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>
    /// Tokens per pair including [CLS] and the two [SEP]; at most the model's max_position_embeddings. Null: the length
    /// the model folder records (<c>model_max_length</c> in tokenizer_config.json, what sentence-transformers reads
    /// too, and what SearchRerank's trainer writes), else <see cref="DefaultMaxLength"/>; see <see cref="CrossEncoder.MaxLength"/>.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>Pairs per ORT run. Pairs are sorted by length first, so a batch is padded only to its own longest pair.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>ORT intra-op threads; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Batches run at the same time, each on its own <see cref="Threads"/> ORT threads. On a few cores, two single-threaded
    /// runs side by side beat one run split over two threads: small GEMMs scale poorly and the threads never wait on each other.
    /// </summary>
    public int ConcurrentBatches { get; init; } = 1;

    /// <summary>
    /// Whether ORT's threads spin between operators instead of sleeping. Spinning is fastest when scoring is all the
    /// process does (the console tool); a service whose request threads share the cores turns it off, or the spinning
    /// threads take the CPU those threads need: on 2 busy cores, concurrency 16, 0.61× of the offline pairs/s with
    /// spinning and 1.04× without (docs/serving.md).
    /// </summary>
    public bool SpinWait { get; init; } = true;

    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    public LongDocumentStrategy LongDocuments { get; init; } = LongDocumentStrategy.Truncate;

    /// <summary>Document tokens between the starts of consecutive windows (<see cref="LongDocumentStrategy.MaxWindow"/>).</summary>
    public int WindowStride { get; init; } = 128;

    /// <summary>Receives device fallbacks, the settings taken from the model folder and truncation counts. Called synchronously on the scoring thread.</summary>
    public IProgress<CrossEncoderNotice>? Notices { get; init; }

    internal void Validate()
    {
        if (MaxLength is < 4)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "max length must be at least 4 ([CLS] q [SEP] d [SEP])");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        if (Threads < 0)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be >= 0 (0 = one per core)");
        if (ConcurrentBatches < 1)
            throw new ArgumentOutOfRangeException(nameof(ConcurrentBatches), ConcurrentBatches, "concurrent batches must be at least 1");
        if (WindowStride < 1)
            throw new ArgumentOutOfRangeException(nameof(WindowStride), WindowStride, "window stride must be at least 1 token");
    }

    public override string ToString() =>
        $"CrossEncoder(maxLength={MaxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "model"},batch={BatchSize},threads={Threads}x{ConcurrentBatches},device={Device},long={LongDocuments}"
        + (LongDocuments == LongDocumentStrategy.MaxWindow ? $",stride={WindowStride})" : ")");
}
