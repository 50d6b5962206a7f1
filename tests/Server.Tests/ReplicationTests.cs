using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using SearchRerank.Search.Index;

namespace SearchRerank.Server.Tests;

/// <summary>
/// A primary (<c>--publish</c>) and a replica (<c>--replica-of</c>) in this process, each on its own loopback port,
/// BM25 only: the replica copies the primary's revisions, sees a write within the polling bound, refuses writes with
/// the primary's address, and keeps serving its last revision when the primary is gone.
/// </summary>
public sealed class ReplicationTests : IAsyncLifetime
{
    private const string Key = "replication-key";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly TempDirectory temp = new();
    private readonly List<WebApplication> started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(started))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        temp.Dispose();
    }

    private async Task<(WebApplication App, HttpClient Client)> StartAsync(Func<ServiceOptions, ServiceOptions> role, string folder, bool protectReads = false)
    {
        var options = role(new ServiceOptions
        {
            Indexes = new Dictionary<string, string> { ["test"] = temp.Combine(folder) },
            Urls = ["http://127.0.0.1:0"],
            ApiKey = Key,
            ProtectReads = protectReads,
            PollInterval = Poll,
            DrainTimeout = TimeSpan.FromSeconds(5),
        });
        var app = ServiceHost.Build(options, ServiceState.Open(options));
        await app.StartAsync();
        started.Add(app);
        var client = new HttpClient { BaseAddress = new Uri(ServiceHost.Addresses(app).Single()), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return (app, client);
    }

    private async Task<(HttpClient Primary, HttpClient Replica, WebApplication PrimaryApp)> StartPairAsync(bool protectReads = false)
    {
        using (var writer = Indexer.Open(temp.Combine("primary")))
            writer.Write(RunningService.Corpus);
        var (primaryApp, primary) = await StartAsync(o => o with { Publish = true }, "primary", protectReads);
        var (_, replica) = await StartAsync(o => o with { ReplicaOf = primary.BaseAddress }, "replica", protectReads);
        await UntilAsync(async () => (await replica.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the replica's first revision");
        return (primary, replica, primaryApp);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < bound, $"{what}: not within {bound.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonElement> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string[]> SearchAsync(HttpClient client, string query) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/v1/test/search?query={query}&hits=5")).GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("docid").GetString()!)];

    [Fact]
    public async Task A_write_on_the_primary_reaches_the_replica_within_two_seconds_and_readyz_says_where_it_stands()
    {
        var (primary, replica, _) = await StartPairAsync();
        var ready = await ReadyAsync(replica);
        Assert.Equal("replica", ready.GetProperty("role").GetString());
        var index = ready.GetProperty("indexes").GetProperty("test");
        Assert.Equal(RunningService.Corpus.Length, index.GetProperty("documents").GetInt64());
        var replication = index.GetProperty("replication");
        Assert.Equal($"{primary.BaseAddress}replicate/test", replication.GetProperty("source").GetString());
        Assert.False(replication.GetProperty("behind").GetBoolean());
        Assert.Equal((await ReadyAsync(primary)).GetProperty("indexes").GetProperty("test").GetProperty("published_revision").GetString(),
            replication.GetProperty("revision").GetString());

        var lags = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var put = await primary.PutAsync($"/v1/test/doc/zebra{i}", new StringContent($"{{\"text\": \"zebra{i} stripes\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            await UntilAsync(async () => (await SearchAsync(replica, $"zebra{i}")).Length == 1, TimeSpan.FromSeconds(2), $"write {i} on the replica");
            lags.Add(clock.Elapsed.TotalSeconds);
        }
        Assert.All(lags, lag => Assert.True(lag < 2, $"lags {string.Join(", ", lags)} s"));

        using var bulk = await primary.PostAsync("/v1/test/bulk", new StringContent(
            string.Concat(Enumerable.Range(0, 300).Select(i => $"{{\"_id\": \"bulk{i}\", \"text\": \"okapi number {i}\"}}\n")), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var expected = RunningService.Corpus.Length + 5 + 300;
        await UntilAsync(async () => (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("documents").GetInt64() == expected,
            TimeSpan.FromSeconds(5), "the bulk import on the replica");
    }

    [Fact]
    public async Task A_replica_refuses_writes_with_the_primarys_address_and_changes_nothing()
    {
        var (primary, replica, _) = await StartPairAsync();
        var before = (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("generation").GetInt64();
        HttpRequestMessage[] writes =
        [
            new(HttpMethod.Put, "/v1/test/doc/x1") { Content = new StringContent("{\"text\": \"zebra\"}", Encoding.UTF8, "application/json") },
            new(HttpMethod.Delete, "/v1/test/doc/d3"),
            new(HttpMethod.Post, "/v1/test/bulk") { Content = new StringContent("{\"_id\": \"x2\", \"text\": \"zebra\"}\n", Encoding.UTF8, "application/x-ndjson") },
        ];
        foreach (var write in writes)
        {
            using var response = await replica.SendAsync(write);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal(primary.BaseAddress!.AbsoluteUri, body.GetProperty("primary").GetString());
            Assert.Contains($"read replica of {primary.BaseAddress.AbsoluteUri}", body.GetProperty("error").GetString());
        }
        Assert.Equal(["d3"], (await SearchAsync(replica, "heart")).Take(1));
        Assert.Empty(await SearchAsync(replica, "zebra"));
        Assert.Equal(before, (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task With_the_primary_gone_the_replica_serves_its_last_revision_and_says_so()
    {
        var (_, replica, primaryApp) = await StartPairAsync();
        await primaryApp.StopAsync();
        await UntilAsync(async () => (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("replication").GetProperty("error").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(10), "the replica noticing the primary is gone");
        using var ready = await replica.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["d3"], (await SearchAsync(replica, "heart")).Take(1));
        // The folder holds a whole index: Lucene's CheckIndex finds every segment intact.
        using var directory = Lucene.Net.Store.FSDirectory.Open(temp.Combine("replica"));
        Assert.True(new Lucene.Net.Index.CheckIndex(directory).DoCheckIndex().Clean);
    }

    [Fact]
    public async Task A_replica_without_any_revision_is_not_ready_and_answers_searches_503()
    {
        // Nothing listens on a port just released.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (_, replica) = await StartAsync(o => o with { ReplicaOf = new Uri($"http://127.0.0.1:{port}/") }, "orphan");
        await UntilAsync(async () => (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("replication").GetProperty("error").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(10), "the first failed round");
        using var ready = await replica.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var search = await replica.GetAsync("/v1/test/search?query=heart");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, search.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", await search.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_replication_endpoint_names_unknown_indexes_and_actions_and_needs_the_key_when_reads_do()
    {
        var (primary, replica, _) = await StartPairAsync(protectReads: true);
        Assert.Equal(HttpStatusCode.NotFound, (await primary.GetAsync("/replicate/nope/update")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await primary.GetAsync("/replicate/test/explode")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = primary.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/replicate/test/update")).StatusCode);
        // The replica sent the key: it got its revision (StartPairAsync waited for it).
        Assert.Equal(RunningService.Corpus.Length, (await ReadyAsync(replica)).GetProperty("indexes").GetProperty("test").GetProperty("documents").GetInt64());
    }
}
