using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SearchRerank.Server.Tests;

/// <summary>Anserini's REST v1 shape for search and documents, this project's extensions beside it, and the error shape.</summary>
public sealed class SearchApiTests(RunningService service) : IClassFixture<RunningService>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await service.Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Search_answers_in_Anserini_v1_shape_with_parsed_documents()
    {
        var (status, body) = await GetAsync("/v1/test/search?query=aspirin%20heart%20attack&hits=3");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("v1", body.GetProperty("api").GetString());
        Assert.Equal("test", body.GetProperty("index").GetString());
        Assert.Equal("aspirin heart attack", body.GetProperty("query").GetProperty("text").GetString());
        var candidates = body.GetProperty("candidates").EnumerateArray().ToArray();
        Assert.Equal(3, candidates.Length);
        Assert.Equal("d3", candidates[0].GetProperty("docid").GetString());
        Assert.Equal([1, 2, 3], candidates.Select(c => c.GetProperty("rank").GetInt32()));
        Assert.Equal(["docid", "score", "rank", "doc"], candidates[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Aspirin and heart attacks", candidates[0].GetProperty("doc").GetProperty("title").GetString());
        var (_, text) = await GetAsync("/v1/test/search?query=aspirin%20heart%20attack&hits=1&parse=false");
        Assert.Equal("Aspirin and heart attacks Daily aspirin lowers the risk of a first heart attack.", text.GetProperty("candidates")[0].GetProperty("doc").GetString());
    }

    [Fact]
    public async Task Rerank_and_explain_add_fields_and_keep_the_base_shape()
    {
        var (status, body) = await GetAsync("/v1/test/search?query=aspirin&hits=5&rerank=true&depth=20&alpha=0.5&explain=true");
        Assert.Equal(HttpStatusCode.OK, status);
        var candidates = body.GetProperty("candidates").EnumerateArray().ToArray();
        Assert.Equal(5, candidates.Length);
        Assert.All(candidates, c =>
        {
            Assert.Equal(["docid", "score", "rank", "doc", "first_stage_score", "cross_encoder_score", "explanation"], c.EnumerateObject().Select(p => p.Name));
            Assert.Contains("z-score fusion, α 0.5", c.GetProperty("explanation").GetString());
        });
        var scores = candidates.Select(c => c.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Doc_returns_the_stored_document_and_404_names_what_is_missing()
    {
        var (status, body) = await GetAsync("/v1/test/doc/d3");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("d3", body.GetProperty("docid").GetString());
        Assert.Equal("Daily aspirin lowers the risk of a first heart attack.", body.GetProperty("doc").GetProperty("text").GetString());
        var (missing, error) = await GetAsync("/v1/test/doc/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("no document 'nope' in index 'test'", error.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/v1/other/search?query=a", HttpStatusCode.NotFound, "no index 'other'; this service serves 'test'")]
    [InlineData("/v1/..%2F..%2Fetc/search?query=a", HttpStatusCode.NotFound, "no index '..%2F..%2Fetc'")]
    [InlineData("/v1/test/search", HttpStatusCode.BadRequest, "parameter 'query' is required")]
    [InlineData("/v1/test/search?query=a&hits=0", HttpStatusCode.BadRequest, "parameter 'hits' must be an integer from 1 to 1000, got '0'")]
    [InlineData("/v1/test/search?query=a&alpha=2", HttpStatusCode.BadRequest, "parameter 'alpha' must be a number from 0 to 1")]
    [InlineData("/v1/test/search?query=a&rerank=maybe", HttpStatusCode.BadRequest, "parameter 'rerank' must be true or false")]
    [InlineData("/v1/test/nothing", HttpStatusCode.NotFound, "no such endpoint: GET /v1/test/nothing")]
    public async Task Bad_requests_get_the_status_and_an_error_field(string path, HttpStatusCode expected, string message)
    {
        var (status, body) = await GetAsync(path);
        Assert.Equal(expected, status);
        Assert.StartsWith(message, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_wrong_method_is_405_and_a_long_query_413()
    {
        using var post = await service.Client.PostAsync("/v1/test/search?query=a", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.StartsWith("method POST is not allowed", (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        var (status, body) = await GetAsync("/v1/test/search?query=" + new string('a', 201));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("at most 200", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Health_readiness_metrics_and_the_OpenAPI_document_answer()
    {
        var (health, _) = await GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health);
        var (ready, readiness) = await GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("ready", readiness.GetProperty("status").GetString());
        Assert.True(readiness.GetProperty("indexes").GetProperty("test").GetProperty("documents").GetInt64() >= 19);
        await service.Client.PostAsync("/rerank", new StringContent("{\"query\":\"a\",\"texts\":[\"b\"]}", System.Text.Encoding.UTF8, "application/json"));
        var metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Contains("searchrerank_rerank_pairs", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
        var openApi = await service.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/v1/{index}/search", openApi);
    }
}

/// <summary>A model's own fusion weight applies on the collection it was trained on; on another index, the safe off-domain α.</summary>
public sealed class FusionChoiceTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_model_trained_on_another_collection_fuses_at_the_off_domain_alpha()
    {
        var model = Directory.CreateDirectory(temp.Combine("model")).FullName;
        var reference = SharedPaths.Shared("reference", "tiny-bert-ce");
        foreach (var file in Directory.EnumerateFiles(reference, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(model, Path.GetRelativePath(reference, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.WriteAllText(Path.Combine(model, "fusion.json"),
            """{"alpha": 0.4, "normalization": "zscore", "collection": {"documents": 5183, "fingerprint": "0000000000000000"}}""");
        await using var service = new RunningService();
        await service.InitializeWithAsync(options => options with { ModelDirectory = model });
        var body = await service.Client.GetFromJsonAsync<JsonElement>("/v1/test/search?query=aspirin&hits=1&rerank=true&explain=true");
        Assert.Contains("z-score fusion, α 0.7", body.GetProperty("candidates")[0].GetProperty("explanation").GetString());
        var asked = await service.Client.GetFromJsonAsync<JsonElement>("/v1/test/search?query=aspirin&hits=1&rerank=true&explain=true&alpha=0.4");
        Assert.Contains("z-score fusion, α 0.4", asked.GetProperty("candidates")[0].GetProperty("explanation").GetString());
    }
}
