using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using SearchRerank.Core;
using SearchRerank.Search.Index;

namespace SearchRerank.Server.Tests;

/// <summary>
/// The service as clients meet it: real Kestrel on 127.0.0.1 (a free port), a small index and the reference model,
/// API key <see cref="Key"/>; requests through an HttpClient with a 30 s bound. Stopped and removed on dispose.
/// </summary>
public sealed class RunningService : IAsyncLifetime, IDisposable, IAsyncDisposable
{
    public const string Key = "test-key";

    private readonly TempDirectory temp = new();
    private WebApplication? app;
    private bool disposed;

    public HttpClient Client { get; private set; } = null!;

    public string IndexPath => temp.Combine("index");

    /// <summary>Documents d0…d19; d3 is about aspirin and heart attacks.</summary>
    public static readonly CorpusDocument[] Corpus = [.. Enumerable.Range(0, 20).Select(i => i == 3
        ? new CorpusDocument("d3", "Aspirin and heart attacks", "Daily aspirin lowers the risk of a first heart attack.")
        : new CorpusDocument($"d{i}", $"Title {i}", $"Coffee sleep vitamin study number {i} with aspirin mentioned {i % 3} times."))];

    public ServiceOptions Options { get; private set; } = null!;

    public Task InitializeAsync() => InitializeWithAsync(options => options);

    /// <summary>Starts the service with the test options as <paramref name="adjust"/> changes them.</summary>
    public async Task InitializeWithAsync(Func<ServiceOptions, ServiceOptions> adjust)
    {
        using (var writer = Indexer.Open(IndexPath))
            writer.Write(Corpus);
        Options = adjust(new ServiceOptions
        {
            Indexes = new Dictionary<string, string> { ["test"] = IndexPath },
            ModelDirectory = SharedPaths.Shared("reference", "tiny-bert-ce"),
            Urls = ["http://127.0.0.1:0"],
            ApiKey = Key,
            QueriesPath = temp.File("queries.tsv", "q1\taspirin heart attack\nq2\tcoffee\n"),
            QrelsPath = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td3\t2\nq1\td4\t0\n"),
            MaxDocumentsPerRequest = 50,
            MaxQueryLength = 200,
            MaxBodyBytes = 1 << 20,
            DrainTimeout = TimeSpan.FromSeconds(5),
        });
        app = ServiceHost.Build(Options, ServiceState.Open(Options));
        await app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(ServiceHost.Addresses(app).Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpRequestMessage WithKey(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return request;
    }

    public void Dispose() => DisposeAsync().GetAwaiter().GetResult();

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        temp.Dispose();
    }
}
