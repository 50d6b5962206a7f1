using System.CommandLine;
using SearchRerank.Cli.Output;
using SearchRerank.Cli.Reranking;
using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Server;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank serve [--index NAME=DIR …] [--model DIR] [--urls URL …] [--api-key KEY] [--publish | --replica-of URL]</c>:
/// search and re-ranking over HTTP (docs/serving.md), alone, as the primary of read replicas, or as one (docs/deploy.md). With no arguments it serves <c>index/scifact</c> with <c>models/quickstart</c>, the
/// quickstart's outputs, on http://127.0.0.1:8080. Runs until SIGINT or SIGTERM, then drains the requests in flight.
/// </summary>
internal static class ServeCommand
{
    public const string ApiKeyVariable = "SEARCHRERANK_API_KEY";

    public static Command Create()
    {
        var index = new Option<string[]>("--index") { Description = "An index to serve as NAME=DIR (repeatable); default scifact=index/scifact", AllowMultipleArgumentsPerToken = false };
        var model = new Option<string?>("--model") { Description = "Cross-encoder folder for re-ranking (default models/quickstart when it exists; without one, BM25 only)" };
        var noModel = new Option<bool>("--no-model") { Description = "Serve BM25 only, even when models/quickstart exists" };
        var urls = new Option<string[]>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080; anything but loopback exposes the service)" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Key required for writes (and for reads with --protect-reads); also from {ApiKeyVariable}. Without one, writes are refused" };
        var protectReads = new Option<bool>("--protect-reads") { Description = "Require the API key for searches and re-ranking too" };
        var maxBatchTokens = new Option<int>("--max-batch-tokens") { Description = "Tokens per model call, across requests", DefaultValueFactory = _ => ServiceOptions.DefaultMaxBatchTokens };
        var maxQueued = new Option<int>("--max-queued-pairs") { Description = "Pairs waiting for the model before requests get 429", DefaultValueFactory = _ => ServiceOptions.DefaultMaxQueuedPairs };
        var maxDocuments = new Option<int>("--max-documents") { Description = "Documents per re-rank request before it gets 413", DefaultValueFactory = _ => ServiceOptions.DefaultMaxDocuments };
        var cors = new Option<string[]>("--cors-origin") { Description = "An origin allowed to call the APIs from a browser (repeatable); none by default" };
        var qrels = new Option<string?>("--qrels") { Description = "Judgments the search page marks hits with (BEIR qrels TSV; with --queries)" };
        var queries = new Option<string?>("--queries") { Description = "The judged queries the search page offers (BEIR queries.jsonl or TSV; with --qrels)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda (CPU fallback with a warning), cuda! or auto", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var publish = new Option<bool>("--publish") { Description = "Be the primary of read replicas: hold each index's writer and publish every commit at /replicate/NAME (docs/deploy.md)" };
        var replicaOf = new Option<string?>("--replica-of") { Description = "Be a read replica of the primary at this URL (e.g. http://10.0.0.5:8080): pull each index's revisions into its folder; writes are refused" };
        var pollInterval = new Option<double>("--poll-interval") { Description = "Seconds between a replica's checks for a newer revision", DefaultValueFactory = _ => 0.5 };
        var drainDelay = new Option<double>("--drain-delay") { Description = "Seconds /readyz answers 503 after SIGTERM, while requests are still served, before the port closes (let a load balancer's health check take this instance out)", DefaultValueFactory = _ => 0 };

        var command = new Command("serve", "Serve search and re-ranking over HTTP (Anserini, Cohere/Jina, TEI APIs; writes with an API key)")
        {
            index, model, noModel, urls, apiKey, protectReads, maxBatchTokens, maxQueued, maxDocuments, cors, queries, qrels, device, threads,
            publish, replicaOf, pollInterval, drainDelay,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var output = CliOutput.From(parseResult);
            var root = RepositoryRoot.Find();
            var primary = parseResult.GetValue(replicaOf) is { } url ? PrimaryUrl(url) : null;
            if (primary is not null && parseResult.GetValue(publish))
                throw new ArgumentException("--publish and --replica-of exclude each other: a service is the primary or a replica");
            var indexes = Indexes(parseResult.GetValue(index) ?? [], root, replica: primary is not null);
            var modelDir = parseResult.GetValue(noModel) ? null : parseResult.GetValue(model) ?? DefaultModel(root, output);
            var options = new ServiceOptions
            {
                Indexes = indexes,
                ModelDirectory = modelDir,
                Urls = parseResult.GetValue(urls) is { Length: > 0 } given ? given : [ServiceOptions.DefaultUrl],
                ApiKey = parseResult.GetValue(apiKey) ?? (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null),
                ProtectReads = parseResult.GetValue(protectReads),
                MaxBatchTokens = parseResult.GetValue(maxBatchTokens),
                MaxQueuedPairs = parseResult.GetValue(maxQueued),
                MaxDocumentsPerRequest = parseResult.GetValue(maxDocuments),
                CorsOrigins = parseResult.GetValue(cors) ?? [],
                QrelsPath = parseResult.GetValue(qrels),
                QueriesPath = parseResult.GetValue(queries),
                Publish = parseResult.GetValue(publish),
                ReplicaOf = primary,
                PollInterval = Seconds("--poll-interval", parseResult.GetValue(pollInterval), allowZero: false),
                DrainDelay = Seconds("--drain-delay", parseResult.GetValue(drainDelay), allowZero: true),
                Encoder = new CrossEncoderOptions
                {
                    Device = DeviceNames.Parse(parseResult.GetValue(device)!),
                    Threads = parseResult.GetValue(threads),
                    SpinWait = false,
                    // A CUDA fallback is one warning; what was loaded and from where, notes under --verbose.
                    Notices = new DirectProgress<CrossEncoderNotice>(notice =>
                    {
                        if (notice.Kind == CrossEncoderNoticeKind.DeviceFallback)
                            CliOutput.Warning(notice.Message);
                        else if (notice.Kind != CrossEncoderNoticeKind.Truncation)
                            output.Note(notice.Message);
                    }),
                },
            };
            if (options.ProtectReads && options.ApiKey is null)
                throw new ArgumentException($"--protect-reads needs --api-key KEY (or {ApiKeyVariable})");
            return Serve(output, options, cancellationToken);
        });
        return command;
    }

    private static int Serve(CliOutput output, ServiceOptions options, CancellationToken cancellationToken)
    {
        var state = ServiceState.Open(options);
        var app = ServiceHost.Build(options, state);
        try
        {
            app.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            foreach (var index in state.Indexes.Values.Where(i => i.FusionReason is not null))
                output.Note($"index {index.Name}: {index.FusionReason}");
            var addresses = string.Join(", ", ServiceHost.Addresses(app));
            var writes = options.ReplicaOf is { } primary ? $"refused (read replica of {primary.AbsoluteUri})"
                : options.ApiKey is null ? "off (no --api-key)" : "with the API key";
            var role = options.Publish ? "; primary: replicas pull /replicate/NAME" : "";
            output.Info($"serving {addresses} — indexes: {string.Join(", ", options.Indexes.Select(i => $"{i.Key} ({i.Value})"))}; "
                        + $"model: {state.Model?.Name ?? "none (BM25 only)"}; writes: {writes}{role}; "
                        + "the search page is at /, the API description at /openapi/v1.json; Ctrl-C stops");
            cancellationToken.WaitHandle.WaitOne();
            if (options.DrainDelay > TimeSpan.Zero)
            {
                // Not ready, still serving: the balancer's health check sees 503 and stops sending before the port closes.
                state.StartDraining();
                output.Info($"stopping: /readyz answers 503 for {options.DrainDelay.TotalSeconds:0.###} s before the port closes");
                Thread.Sleep(options.DrainDelay);
            }
            output.Info($"stopping: draining requests in flight (at most {options.DrainTimeout.TotalSeconds:F0} s)");
            app.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            output.Info("stopped");
            return 0;
        }
        finally
        {
            ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>NAME=DIR pairs; none means the quickstart's SciFact index, which must then exist (a replica creates its folders).</summary>
    private static Dictionary<string, string> Indexes(string[] given, string root, bool replica)
    {
        var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given.Length == 0)
        {
            var scifact = Path.Combine(root, "index", "scifact");
            if (!replica && !Directory.Exists(scifact))
                throw new ArgumentException($"nothing to serve: {scifact} does not exist; run './searchrerank quickstart' first, or give --index NAME=DIR");
            indexes["scifact"] = scifact;
            return indexes;
        }
        foreach (var pair in given)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ArgumentException($"--index: expected NAME=DIR, got '{pair}'");
            if (!indexes.TryAdd(parts[0], parts[1]))
                throw new ArgumentException($"--index: the name '{parts[0]}' is given twice");
        }
        return indexes;
    }

    /// <summary>The primary's base URL: absolute http(s), nothing after the path (its indexes are at /replicate/NAME under it).</summary>
    private static Uri PrimaryUrl(string given)
    {
        if (!Uri.TryCreate(given, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
            throw new ArgumentException($"--replica-of: expected the primary's base URL, e.g. http://127.0.0.1:8091, got '{given}'");
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private static TimeSpan Seconds(string option, double value, bool allowZero)
    {
        if (!double.IsFinite(value) || value < 0 || (value == 0 && !allowZero) || value > 3600)
            throw new ArgumentException($"{option}: expected seconds in {(allowZero ? "[0" : "(0")}, 3600], got {value}");
        return TimeSpan.FromSeconds(value);
    }

    private static string? DefaultModel(string root, CliOutput output)
    {
        var quickstart = Path.Combine(root, "models", "quickstart");
        if (File.Exists(Path.Combine(quickstart, ScoreFusion.FileName)))
            return quickstart;
        CliOutput.Warning($"no re-ranking: {quickstart} holds no trained model; run './searchrerank quickstart', or give --model DIR");
        return null;
    }
}
