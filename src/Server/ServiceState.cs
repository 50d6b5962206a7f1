namespace SearchRerank.Server;

/// <summary>
/// What every request reads: the served indexes by name, the model (if any), the options and the metrics; and whether
/// the service is draining (then <c>/readyz</c> says 503 so a load balancer stops sending).
/// </summary>
internal sealed class ServiceState : IDisposable
{
    private volatile bool draining;

    private ServiceState(ServiceOptions options, IReadOnlyDictionary<string, ServedIndex> indexes, ServedModel? model, Judgments? judgments,
        ServiceMetrics metrics)
    {
        Options = options;
        Judgments = judgments;
        Indexes = indexes;
        Model = model;
        Metrics = metrics;
    }

    public ServiceOptions Options { get; }

    public IReadOnlyDictionary<string, ServedIndex> Indexes { get; }

    public ServedModel? Model { get; }

    /// <summary>Judged queries for the web page; null unless the service was given queries and qrels.</summary>
    public Judgments? Judgments { get; }

    public ServiceMetrics Metrics { get; }

    public bool Draining => draining;

    /// <summary>Opens every index and loads the model; a failure names what could not be opened and leaves nothing open.</summary>
    public static ServiceState Open(ServiceOptions options)
    {
        if (options.Indexes.Count == 0)
            throw new ArgumentException("no index to serve: give at least one --index NAME=DIR");
        if (options.Publish && options.ReplicaOf is not null)
            throw new ArgumentException("a service is either the primary (--publish) or a replica (--replica-of), not both");
        var metrics = new ServiceMetrics();
        var indexes = new Dictionary<string, ServedIndex>(StringComparer.Ordinal);
        ServedModel? model = null;
        try
        {
            foreach (var (name, path) in options.Indexes)
            {
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                    throw new ArgumentException($"index name '{name}': use letters, digits, '-', '_' and '.' only (it becomes part of URLs)");
                indexes.Add(name, options switch
                {
                    { Publish: true } => ServedIndex.OpenPrimary(name, path),
                    { ReplicaOf: { } primary } => ServedIndex.OpenReplica(name, path, primary, options.PollInterval, options.ApiKey),
                    _ => ServedIndex.Open(name, path),
                });
            }
            if ((options.QueriesPath is null) != (options.QrelsPath is null))
                throw new ArgumentException("the search page's judgments need both --queries and --qrels");
            var judgments = options.QrelsPath is null ? null : Judgments.Read(options.QueriesPath!, options.QrelsPath);
            if (options.ModelDirectory is { } directory)
            {
                model = ServedModel.Load(directory, options, metrics);
                foreach (var index in indexes.Values)
                    index.ChooseFusion(directory);
            }
            return new ServiceState(options, indexes, model, judgments, metrics);
        }
        catch
        {
            foreach (var index in indexes.Values)
                index.Dispose();
            model?.Dispose();
            metrics.Dispose();
            throw;
        }
    }

    /// <summary>The served index called <paramref name="name"/>; 404 for any other name (a URL never reaches a path).</summary>
    public ServedIndex Index(string name) => Indexes.TryGetValue(name, out var index)
        ? index
        : throw ApiException.NotFound($"no index '{name}'; this service serves {string.Join(", ", Indexes.Keys.Select(k => $"'{k}'"))}");

    /// <summary>The model, or 503 when the service was started without one.</summary>
    public ServedModel RequireModel() => Model
        ?? throw new ApiException(StatusCodes.Status503ServiceUnavailable, "no re-ranking model is loaded: start serve with --model DIR");

    public void StartDraining() => draining = true;

    public void Dispose()
    {
        Model?.Dispose();
        foreach (var index in Indexes.Values)
            index.Dispose();
        Metrics.Dispose();
    }
}
