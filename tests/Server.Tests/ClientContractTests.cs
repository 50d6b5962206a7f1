using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SearchRerank.Server.Tests;

/// <summary>
/// The exact request bodies that existing clients send (sources in docs/serving.md), replayed against the running
/// service, and each response read by that client's own rules: the fields it reads, the types it expects, the keys it
/// refuses. If a client would fail on a response, its test fails.
/// </summary>
public sealed class ClientContractTests(RunningService service) : IClassFixture<RunningService>
{
    private static readonly string[] Texts =
    [
        "Coffee consumption and sleep quality in adults.",
        "Daily aspirin lowers the risk of a first heart attack.",
        "Vitamin D supplements and fractures.",
    ];

    private async Task<JsonElement> PostAsync(string path, string body)
    {
        using var response = await service.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Body(object body) => JsonSerializer.Serialize(body);

    /// <summary>Cohere's, Jina's and Infinity's clients: <c>results[*].index</c> and a float <c>relevance_score</c>, best first.</summary>
    private static void AssertCohereShape(JsonElement response, int expected, bool documents)
    {
        Assert.Equal(JsonValueKind.String, response.GetProperty("id").ValueKind);
        Assert.Equal("tiny-bert-ce", response.GetProperty("model").GetString());
        Assert.True(response.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        var results = response.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected, results.Length);
        Assert.Equal(results.Length, results.Select(r => r.GetProperty("index").GetInt32()).Distinct().Count());
        var scores = results.Select(r => r.GetProperty("relevance_score")).ToArray();
        Assert.All(scores, s => Assert.Contains('.', s.GetRawText().Replace("E", ".", StringComparison.Ordinal)));
        Assert.Equal(scores.Select(s => s.GetDouble()).OrderByDescending(s => s), scores.Select(s => s.GetDouble()));
        Assert.All(results, r =>
        {
            Assert.Equal(documents, r.TryGetProperty("document", out var document));
            if (documents)
                Assert.Equal(Texts[r.GetProperty("index").GetInt32()], document.GetProperty("text").GetString());
        });
    }

    [Fact]
    public async Task LangChain_CohereRerank_v1_and_the_Cohere_v2_client()
    {
        // langchain_cohere.CohereRerank → cohere.Client.rerank: model, query, documents, top_n.
        var v1 = await PostAsync("/v1/rerank", Body(new { model = "rerank-english-v3.0", query = "aspirin heart attack", documents = Texts, top_n = 2 }));
        AssertCohereShape(v1, 2, documents: true);
        Assert.Equal(1, v1.GetProperty("results")[0].GetProperty("index").GetInt32());
        var v2 = await PostAsync("/v2/rerank", Body(new { model = "rerank-v3.5", query = "aspirin heart attack", documents = Texts, top_n = 3, return_documents = false }));
        AssertCohereShape(v2, 3, documents: false);
    }

    [Fact]
    public async Task LangChain_and_Haystack_Jina_rerankers_read_model_and_usage()
    {
        // langchain_community JinaRerank and haystack JinaRanker: query, documents, top_n, model; they read results,
        // and Haystack reads model and usage without a fallback.
        var response = await PostAsync("/v1/rerank", Body(new { query = "aspirin", documents = Texts, top_n = 3, model = "jina-reranker-v1-base-en" }));
        AssertCohereShape(response, 3, documents: true);
        Assert.True(response.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Infinity_client_with_the_v1_prefix_and_documents_as_objects()
    {
        // infinity_client RerankInput: query, documents, return_documents, model (Infinity serves /rerank under --url-prefix /v1).
        var response = await PostAsync("/v1/rerank", Body(new { query = "aspirin", documents = Texts.Select(t => new { text = t }), return_documents = false, model = "mixedbread-ai/mxbai-rerank-xsmall-v1" }));
        AssertCohereShape(response, 3, documents: false);
    }

    [Theory]
    [InlineData("""{"query":"aspirin heart attack","texts":TEXTS,"truncate":true}""", false)]                                                       // LlamaIndex TextEmbeddingsInference rerank
    [InlineData("""{"query":"aspirin heart attack","texts":TEXTS,"raw_scores":false,"truncate":true,"truncation_direction":"Right"}""", false)]   // Haystack HuggingFaceTEIRanker
    [InlineData("""{"query":"aspirin heart attack","texts":TEXTS,"return_text":true}""", true)]                                                     // Elasticsearch hugging_face rerank
    [InlineData("""{"query":"aspirin heart attack","documents":TEXTS}""", false)]                                                                    // TEI's documents alias
    public async Task TEI_clients_get_a_bare_array_with_one_entry_per_text(string body, bool text)
    {
        var response = await PostAsync("/rerank", body.Replace("TEXTS", JsonSerializer.Serialize(Texts), StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Array, response.ValueKind);
        var entries = response.EnumerateArray().ToArray();
        // LlamaIndex asserts one score per node; Elasticsearch's hugging_face service refuses any other key.
        Assert.Equal(Texts.Length, entries.Length);
        Assert.All(entries, e => Assert.All(e.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "index", "score", "text" })));
        Assert.Equal(text, entries.All(e => e.TryGetProperty("text", out _)));
        Assert.Equal(1, entries[0].GetProperty("index").GetInt32());
        Assert.All(entries, e => Assert.InRange(e.GetProperty("score").GetDouble(), 0.0, 1.0));
    }

    [Fact]
    public async Task Raw_scores_are_the_logits_and_sigmoid_scores_match_them()
    {
        var raw = await PostAsync("/rerank", Body(new { query = "aspirin", texts = Texts, raw_scores = true }));
        var squashed = await PostAsync("/rerank", Body(new { query = "aspirin", texts = Texts }));
        var logits = raw.EnumerateArray().ToDictionary(e => e.GetProperty("index").GetInt32(), e => e.GetProperty("score").GetDouble());
        foreach (var e in squashed.EnumerateArray())
            Assert.Equal(1 / (1 + Math.Exp(-logits[e.GetProperty("index").GetInt32()])), e.GetProperty("score").GetDouble(), 6);
    }

    [Fact]
    public async Task Elasticsearch_custom_service_template_and_its_json_parser_paths()
    {
        // PUT _inference/rerank/<id> {"service": "custom", "service_settings": {"request": "{\"query\":\"${query}\",\"documents\":${input},\"top_n\":${top_n}}",
        //  "response": {"json_parser": {"reranked_index": "$.results[*].index", "relevance_score": "$.results[*].relevance_score", "document_text": "$.results[*].document.text"}}}}
        var template = "{\"query\":\"${query}\",\"documents\":${input},\"top_n\":${top_n}}";
        var body = template.Replace("${query}", "aspirin heart attack").Replace("${input}", JsonSerializer.Serialize(Texts)).Replace("${top_n}", "2");
        var response = await PostAsync("/v1/rerank", body);
        var results = response.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(2, results.Length);
        Assert.All(results, r =>
        {
            _ = r.GetProperty("index").GetInt32();
            _ = r.GetProperty("relevance_score").GetDouble();
            Assert.Equal(Texts[r.GetProperty("index").GetInt32()], r.GetProperty("document").GetProperty("text").GetString());
        });
    }

    [Fact]
    public async Task OpenSearch_cohere_rerank_connector_pre_and_post_processing()
    {
        // ml-commons connector.pre_process.cohere.rerank builds {"documents": [...], "query": "...", "top_n": n};
        // connector.post_process.cohere.rerank reads $.results[*].index and relevance_score and orders by index.
        var response = await PostAsync("/v1/rerank", Body(new { documents = Texts, query = "aspirin heart attack", top_n = 3 }));
        var byIndex = response.GetProperty("results").EnumerateArray().OrderBy(r => r.GetProperty("index").GetInt32()).Select(r => r.GetProperty("relevance_score").GetDouble()).ToArray();
        Assert.Equal(3, byIndex.Length);
        Assert.True(byIndex[1] > byIndex[0] || byIndex[1] > byIndex[2]);
    }

    /// <summary>
    /// The request templates docs/deploy.md gives, rendered as each system renders them: Elasticsearch's custom service
    /// substitutes <c>${query}</c> as a JSON string (quotes included), <c>${input}</c> as a JSON array and
    /// <c>${top_n}</c> as a number; OpenSearch's connector fills <c>${parameters.*}</c> from
    /// <c>connector.pre_process.cohere.rerank</c> (documents as a JSON array, query as text inside the template's quotes,
    /// top_n as the number of documents). Each response is read by the paths the docs configure.
    /// </summary>
    [Theory]
    [InlineData("""{"query": ${query}, "documents": ${input}, "top_n": ${top_n}, "return_documents": false}""", "elasticsearch")]
    [InlineData("""{ "documents": ${parameters.documents}, "query": "${parameters.query}", "top_n": ${parameters.top_n}, "return_documents": false }""", "opensearch")]
    public async Task The_deploy_guides_templates_rendered_and_their_responses_read_by_the_configured_paths(string template, string system)
    {
        const string query = "aspirin \"heart\" attack";
        var body = system == "elasticsearch"
            ? template.Replace("${query}", JsonSerializer.Serialize(query)).Replace("${input}", JsonSerializer.Serialize(Texts)).Replace("${top_n}", "3")
            : template.Replace("${parameters.documents}", JsonSerializer.Serialize(Texts)).Replace("${parameters.query}", JsonSerializer.Serialize(query)[1..^1])
                .Replace("${parameters.top_n}", Texts.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await PostAsync("/v1/rerank", body);
        // json_parser reranked_index $.results[*].index and relevance_score $.results[*].relevance_score (Elasticsearch);
        // the cohere.rerank post-process reads the same two and orders the scores by index (OpenSearch).
        var results = response.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Texts.Length, results.Length);
        Assert.Equal(Enumerable.Range(0, Texts.Length), results.Select(r => r.GetProperty("index").GetInt32()).Order());
        Assert.All(results, r => Assert.InRange(r.GetProperty("relevance_score").GetDouble(), 0.0, 1.0));
        Assert.All(results, r => Assert.False(r.TryGetProperty("document", out _)));
    }

    [Theory]
    [InlineData("/v1/rerank", "{\"query\": \"aspirin\", \"documents\": 5}", 400, "field 'documents' is required")]
    [InlineData("/v1/rerank", "{\"query\": \"\", \"documents\": [\"a\"]}", 400, "field 'query' is empty")]
    [InlineData("/v1/rerank", "{\"documents\": [\"a\"]}", 400, "field 'query' is required")]
    [InlineData("/v1/rerank", "{\"query\": \"a\", \"documents\": [\"a\", 7]}", 400, "documents[1] must be a string or an object")]
    [InlineData("/v1/rerank", "{\"query\": \"a\", \"documents\": [\"a\"], \"top_n\": -1}", 400, "field 'top_n' must be a non-negative integer")]
    [InlineData("/rerank", "{\"query\": \"a\", \"texts\": [\"a\"], \"raw_scores\": \"yes\"}", 400, "field 'raw_scores' must be true or false")]
    [InlineData("/rerank", "{\"query\": \"a\", \"texts\": [\"a\"", 400, "malformed JSON body")]
    [InlineData("/rerank", "[1, 2]", 400, "the body must be a JSON object")]
    public async Task Malformed_requests_get_400_naming_the_field(string path, string body, int status, string message)
    {
        using var response = await service.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.Contains(message, error);
    }
}
