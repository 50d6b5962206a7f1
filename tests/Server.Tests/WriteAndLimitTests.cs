using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SearchRerank.Search.Index;

namespace SearchRerank.Server.Tests;

/// <summary>Writes need the key and are visible to the next search; limits answer 413 and 429; concurrent requests get their own scores.</summary>
public sealed class WriteAndLimitTests(RunningService service) : IClassFixture<RunningService>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await service.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string[]> SearchAsync(string query) =>
        (await service.Client.GetFromJsonAsync<JsonElement>($"/v1/test/search?query={query}&hits=5")).GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("docid").GetString()!).ToArray();

    [Fact]
    public async Task Writes_need_the_key_and_each_is_visible_to_the_next_search()
    {
        var error = await SendAsync(new HttpRequestMessage(HttpMethod.Put, "/v1/test/doc/z1") { Content = Json("{\"text\": \"zebra\"}") }, HttpStatusCode.Unauthorized);
        Assert.Contains("needs the API key", error.GetProperty("error").GetString());
        var wrong = new HttpRequestMessage(HttpMethod.Put, "/v1/test/doc/z1") { Content = Json("{\"text\": \"zebra\"}") };
        wrong.Headers.Add("X-API-Key", "nope");
        await SendAsync(wrong, HttpStatusCode.Unauthorized);

        var put = await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Put, "/v1/test/doc/z1") { Content = Json("{\"title\": \"Zebra\", \"text\": \"zebra stripes\"}") }), HttpStatusCode.OK);
        Assert.Equal("created", put.GetProperty("result").GetString());
        Assert.Equal(["z1"], await SearchAsync("zebra"));
        var replaced = await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Put, "/v1/test/doc/z1") { Content = Json("{\"text\": \"okapi\"}") }), HttpStatusCode.OK);
        Assert.Equal("updated", replaced.GetProperty("result").GetString());
        Assert.Empty(await SearchAsync("zebra"));

        var bulk = await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Post, "/v1/test/bulk")
        {
            Content = new StringContent("{\"_id\": \"b1\", \"text\": \"quokka one\"}\n\n{\"_id\": \"b2\", \"title\": \"t\", \"text\": \"quokka two\"}\n", Encoding.UTF8, "application/x-ndjson"),
        }), HttpStatusCode.OK);
        Assert.Equal(2, bulk.GetProperty("added").GetInt64());
        Assert.Equal(["b1", "b2"], (await SearchAsync("quokka")).Order());

        var bad = await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Post, "/v1/test/bulk")
        {
            Content = new StringContent("{\"_id\": \"b3\", \"text\": \"wombat\"}\n{\"_id\": \"b4\", \"text\": \n", Encoding.UTF8, "application/x-ndjson"),
        }), HttpStatusCode.BadRequest);
        Assert.StartsWith("line 2: malformed JSON", bad.GetProperty("error").GetString());
        Assert.Empty(await SearchAsync("wombat"));

        await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Delete, "/v1/test/doc/b1")), HttpStatusCode.OK);
        Assert.Equal(["b2"], await SearchAsync("quokka"));
        await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Delete, "/v1/test/doc/b1")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_write_while_another_writer_holds_the_index_is_409_and_changes_nothing()
    {
        using (Indexer.Open(service.IndexPath))
        {
            var conflict = await SendAsync(service.WithKey(new HttpRequestMessage(HttpMethod.Put, "/v1/test/doc/c1") { Content = Json("{\"text\": \"capybara\"}") }), HttpStatusCode.Conflict);
            Assert.Contains("locked by another writer", conflict.GetProperty("error").GetString());
        }
        Assert.Empty(await SearchAsync("capybara"));
    }

    [Fact]
    public async Task Too_many_documents_is_413_and_more_than_the_queue_holds_is_429_with_retry_after()
    {
        var tooMany = JsonSerializer.Serialize(new { query = "a", documents = Enumerable.Repeat("text", 51) });
        using (var response = await service.Client.PostAsync("/v1/rerank", Json(tooMany)))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        using var small = new RunningService();
        await small.InitializeWithAsync(options => options with { MaxQueuedPairs = 10 });
        var overflow = JsonSerializer.Serialize(new { query = "a", documents = Enumerable.Repeat("text", 11) });
        using var full = await small.Client.PostAsync("/v1/rerank", Json(overflow));
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("1", full.Headers.RetryAfter?.ToString());
        Assert.Contains("queue is full", (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        await small.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_requests_batched_together_get_exactly_their_own_scores()
    {
        string Body(int i) => JsonSerializer.Serialize(new { query = $"aspirin study {i}", texts = RunningService.Corpus.Select(d => d.Text).Skip(i % 5).Take(7), raw_scores = true });
        async Task<double[]> Scores(int i)
        {
            using var response = await service.Client.PostAsync("/rerank", Json(Body(i)));
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().OrderBy(e => e.GetProperty("index").GetInt32()).Select(e => e.GetProperty("score").GetDouble()).ToArray();
        }
        var alone = new List<double[]>();
        for (var i = 0; i < 16; i++)
            alone.Add(await Scores(i));
        var together = await Task.WhenAll(Enumerable.Range(0, 16).Select(Scores));
        for (var i = 0; i < 16; i++)
            Assert.Equal(alone[i], together[i], (a, b) => Math.Abs(a - b) < 1e-4);
    }
}
