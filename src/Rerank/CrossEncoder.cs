using SearchRerank.Core;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Rerank.Tokenization.HuggingFace;

namespace SearchRerank.Rerank;

/// <summary>
/// A cross-encoder (Nogueira and Cho, "Passage Re-ranking with BERT", 2019) on ONNX Runtime: any sequence-classification
/// export (BERT, RoBERTa, XLM-R, DeBERTa-v3, ModernBERT, …) scores (query, document) pairs through its
/// <see cref="RelevanceHead"/> (the raw logit unless config.json says otherwise). <see cref="Predict(IReadOnlyList{PairEncoding})"/> is the primitive;
/// the string overload tokenizes first, and <see cref="Rank"/> sorts on top of it.
/// One instance serves concurrent callers: its state is read-only after <see cref="Load"/> and ORT's Run is thread-safe.
/// Scores do not depend on batch size or order: each batch is padded with masked [PAD] tokens only.
/// Dispose it, after the last Predict returned, to release the ORT session.
/// </summary>
public sealed class CrossEncoder : IDisposable
{
    private readonly CrossEncoderSession session;
    private readonly CrossEncoderOptions options;

    private CrossEncoder(CrossEncoderSession session, HuggingFaceTokenizer tokenizer, RelevanceHead head, CrossEncoderOptions options)
    {
        this.session = session;
        Tokenizer = tokenizer;
        Head = head;
        this.options = options;
    }

    /// <summary>The folder's tokenizer (WordPiece, BPE or Unigram), with its pair template and truncation.</summary>
    public HuggingFaceTokenizer Tokenizer { get; }

    /// <summary>How the model's logits become the score (label count and activation, from the export and config.json).</summary>
    public RelevanceHead Head { get; }

    /// <summary>The model's inputs, as exported (input_ids, attention_mask, and token_type_ids or exact_match_ids when it takes them).</summary>
    public IReadOnlyList<string> InputNames => session.InputNames;

    /// <summary>The options in effect, <see cref="CrossEncoderOptions.MaxLength"/> resolved.</summary>
    public CrossEncoderOptions Options => options;

    /// <summary>
    /// Tokens per pair: the options' length, else the one the model folder records (so a trained model scores at the
    /// length it was trained at), else <see cref="CrossEncoderOptions.DefaultMaxLength"/>.
    /// </summary>
    public int MaxLength => options.MaxLength!.Value;

    /// <summary>True when the model takes <c>exact_match_ids</c> (computed with <see cref="ExactMatch.Flags"/>).</summary>
    public bool UsesExactMatch => session.InputNames.Contains("exact_match_ids");

    /// <summary>True when the model runs on the CUDA execution provider.</summary>
    public bool UsesCuda => ExecutionProvider == CrossEncoderSession.CudaProvider;

    /// <summary>The ONNX Runtime execution provider the model runs on: "CUDAExecutionProvider" or "CPUExecutionProvider".</summary>
    public string ExecutionProvider => session.ExecutionProvider;

    /// <summary>The ONNX file <see cref="Load"/> would run for <paramref name="modelDirectory"/>.</summary>
    public static string ModelFile(string modelDirectory) =>
        System.IO.Directory.Exists(modelDirectory)
            ? CrossEncoderModelFiles.OnnxPath(modelDirectory)
            : throw new DirectoryNotFoundException($"{modelDirectory}: model directory not found");

    /// <summary>
    /// Loads a Hugging Face style directory: config.json, tokenizer.json (WordPiece, BPE or Unigram) or vocab.txt, and
    /// model.onnx or onnx/model.onnx as Optimum or sentence-transformers export a sequence-classification model. Checks
    /// that every token id fits config.json's vocab_size and the ONNX embedding table (which may be padded beyond the
    /// tokenizer, as ModernBERT's and DeBERTa-v3's are), that the model takes only inputs this class can feed, and that it
    /// gives one or two logits per pair. Every failure names the offending file.
    /// </summary>
    public static CrossEncoder Load(string modelDirectory, CrossEncoderOptions? options = null)
    {
        options ??= new CrossEncoderOptions();
        options.Validate();
        var files = CrossEncoderModelFiles.Locate(modelDirectory);
        if (files.MaxPositionEmbeddings is { } maxPositions && options.MaxLength > maxPositions)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxLength,
                $"{files.ConfigPath}: max length {options.MaxLength} exceeds max_position_embeddings {maxPositions}");
        var recorded = files.RecordedMaxLength;
        var recordedIn = Path.Combine(modelDirectory, CrossEncoderModelFiles.TokenizerConfigFile);
        if (options.MaxLength is null)
        {
            options = options with { MaxLength = recorded ?? CrossEncoderOptions.DefaultMaxLength };
            options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.Setting, recorded is null
                ? $"max length {options.MaxLength} tokens (the default: {recordedIn} records no model_max_length)"
                : $"max length {options.MaxLength} tokens, as {recordedIn} records (model_max_length)"));
        }
        else if (recorded is not null && recorded != options.MaxLength)
        {
            options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.Setting,
                $"max length {options.MaxLength} tokens as asked, not the {recorded} that {recordedIn} records (model_max_length)"));
        }

        HuggingFaceTokenizer tokenizer;
        try
        {
            tokenizer = HuggingFaceTokenizer.FromDirectory(modelDirectory);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or UnauthorizedAccessException
                                       or System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{modelDirectory}: cannot read the tokenizer (tokenizer.json or vocab.txt): {ex.Message}", ex);
        }

        if (files.VocabSize is { } vocabSize && vocabSize < tokenizer.VocabularySize)
            throw new InvalidDataException(
                $"{files.ConfigPath}: vocab_size {vocabSize} but the tokenizer in {modelDirectory} has {tokenizer.VocabularySize} tokens");

        var inspector = OnnxModelInspector.Read(files.ModelPath);
        if (inspector.EmbeddingRows("input_ids") is { } rows && rows < tokenizer.VocabularySize)
            throw new InvalidDataException(
                $"{files.ModelPath}: the word embedding table has {rows} rows but the tokenizer in {modelDirectory} has {tokenizer.VocabularySize} tokens");

        var session = CrossEncoderSession.Open(files.ModelPath, new SessionThreads(options.Threads, options.SpinWait), options.Device,
            m => options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.DeviceFallback, m)), files.Labels);
        var head = new RelevanceHead(session.Labels, files.Activation);
        options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.Model,
            $"{tokenizer.Family} tokenizer, pair template {tokenizer.PairTemplate}; inputs {string.Join(", ", session.InputNames)}; score = {head}"));
        options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.ExecutionProvider,
            $"{files.ModelPath} runs on {session.ExecutionProvider} (ONNX Runtime {OnnxRuntimeEnvironment.Version})"));
        return new CrossEncoder(session, tokenizer, head, options);
    }

    /// <summary>Scores already-encoded pairs; returns one score per pair (<see cref="Head"/>), in input order.</summary>
    public float[] Predict(IReadOnlyList<PairEncoding> encodings)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        for (var i = 0; i < encodings.Count; i++)
        {
            var e = encodings[i];
            if (e.InputIds.Length == 0 || e.InputIds.Length != e.TokenTypeIds.Length)
                throw new ArgumentException($"encoding {i}: {e.InputIds.Length} input ids and {e.TokenTypeIds.Length} token type ids", nameof(encodings));
        }

        // Sort by length so each batch holds similar lengths and pads little; ties keep input order.
        var order = Enumerable.Range(0, encodings.Count).OrderBy(i => encodings[i].InputIds.Length).ThenBy(i => i).ToArray();
        var scores = new float[encodings.Count];
        var batches = order.Chunk(options.BatchSize).ToArray();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = options.ConcurrentBatches }, batch =>
        {
            var logits = RunBatch(encodings, batch);
            for (var b = 0; b < batch.Length; b++)
                scores[batch[b]] = logits[b];
        });
        return scores;
    }

    /// <summary>Tokenizes and scores (query, document) pairs; long documents follow <see cref="CrossEncoderOptions.LongDocuments"/>.</summary>
    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (options.LongDocuments == LongDocumentStrategy.MaxWindow)
        {
            var queryIds = new Dictionary<string, int[]>(StringComparer.Ordinal);
            var tokenized = new List<(int[] Query, int[] Document)>(pairs.Count);
            foreach (var (query, document) in pairs)
            {
                if (!queryIds.TryGetValue(query, out var q))
                    queryIds[query] = q = Tokenizer.Tokenize(query);
                tokenized.Add((q, Tokenizer.Tokenize(document)));
            }

            return PredictTokenized(tokenized);
        }

        var encodings = new PairEncoding[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
            encodings[i] = Tokenizer.EncodePair(pairs[i].Query, pairs[i].Document, MaxLength);
        ReportTruncations(encodings.Count(e => e.Truncated), encodings.Length);
        return Predict(encodings);
    }

    /// <summary>
    /// Scores pairs given as WordPiece ids without specials (e.g. documents from a pre-tokenized store); long documents
    /// follow <see cref="CrossEncoderOptions.LongDocuments"/>.
    /// </summary>
    public float[] PredictTokenized(IReadOnlyList<(int[] Query, int[] Document)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (options.LongDocuments == LongDocumentStrategy.Truncate)
        {
            var encodings = pairs.Select(p => Tokenizer.EncodePair(p.Query, p.Document, MaxLength)).ToArray();
            ReportTruncations(encodings.Count(e => e.Truncated), encodings.Length);
            return Predict(encodings);
        }

        var windows = new List<PairEncoding>();
        var owner = new List<int>();
        for (var i = 0; i < pairs.Count; i++)
        {
            foreach (var window in Windows(pairs[i].Query, pairs[i].Document))
            {
                windows.Add(window);
                owner.Add(i);
            }
        }

        var windowScores = Predict(windows);
        var scores = Enumerable.Repeat(float.NegativeInfinity, pairs.Count).ToArray();
        for (var w = 0; w < windowScores.Length; w++)
            scores[owner[w]] = Math.Max(scores[owner[w]], windowScores[w]);
        return scores;
    }

    /// <summary>Scores <paramref name="documents"/> against <paramref name="query"/>, best first (ties by input index).</summary>
    public IReadOnlyList<(int Index, float Score)> Rank(string query, IReadOnlyList<string> documents)
    {
        var scores = Predict(documents.Select(d => (query, d)).ToArray());
        return scores.Select((s, i) => (Index: i, Score: s)).OrderByDescending(p => p.Score).ThenBy(p => p.Index).ToArray();
    }

    /// <summary>
    /// The document cut into windows that each fit next to the whole query: width = max length − the template's special
    /// tokens − query length (at least
    /// half the budget, the pair truncation balancing the rest), starts every stride tokens, the last window flush with the
    /// document's end so no tail is lost.
    /// </summary>
    private IEnumerable<PairEncoding> Windows(int[] query, int[] document)
    {
        var budget = MaxLength - Tokenizer.SpecialTokenCount(pair: true);
        var width = Math.Max(budget - query.Length, budget / 2);
        if (document.Length <= width)
        {
            yield return Tokenizer.EncodePair(query, document, MaxLength);
            yield break;
        }

        var stride = Math.Min(options.WindowStride, width);
        for (var start = 0; ; start += stride)
        {
            var from = Math.Min(start, document.Length - width);
            yield return Tokenizer.EncodePair(query, document.AsSpan(from, width), MaxLength);
            if (from + width >= document.Length)
                yield break;
        }
    }

    private void ReportTruncations(int truncated, int total)
    {
        if (truncated > 0)
            options.Notices?.Report(new CrossEncoderNotice(CrossEncoderNoticeKind.Truncation,
                $"{truncated} of {total} pairs truncated to {MaxLength} tokens"));
    }

    private float[] RunBatch(IReadOnlyList<PairEncoding> encodings, int[] batch)
    {
        var length = batch.Max(i => encodings[i].InputIds.Length);
        var inputs = session.InputNames;
        var exactMatch = inputs.Contains("exact_match_ids") ? batch.Select(i => ExactMatch.Flags(encodings[i], Tokenizer)).ToArray() : null;
        var padId = Tokenizer.PadId;
        var logits = session.Run(batch.Length, length, (buffer, input) =>
        {
            // Padding: the tokenizer's pad id, mask 0, type 0, no exact match (the buffer starts zeroed).
            for (var b = 0; b < batch.Length; b++)
            {
                var e = encodings[batch[b]];
                var row = buffer.Slice(b * length, e.InputIds.Length);
                switch (inputs[input])
                {
                    case "input_ids":
                        buffer.Slice(b * length, length).Fill(padId);
                        Widen(e.InputIds, row);
                        break;
                    case "attention_mask":
                        row.Fill(1);
                        break;
                    case "token_type_ids":
                        Widen(e.TokenTypeIds, row);
                        break;
                    case "exact_match_ids":
                        Widen(exactMatch![b], row);
                        break;
                }
            }
        });
        var labels = session.Labels;
        var scores = new float[batch.Length];
        for (var b = 0; b < batch.Length; b++)
            scores[b] = Head.Score(logits.AsSpan(b * labels, labels));
        return scores;
    }

    private static void Widen(int[] source, Span<long> target)
    {
        for (var i = 0; i < source.Length; i++)
            target[i] = source[i];
    }

    public void Dispose() => session.Dispose();

    public override string ToString() => $"{options} on {session.ModelPath} ({session.ExecutionProvider})";
}
