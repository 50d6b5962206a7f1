using System.Text.Json.Serialization;

namespace SearchRerank.Server;

/// <summary>
/// The re-rank APIs that existing clients speak, unchanged (sources in docs/serving.md):
/// <list type="bullet">
/// <item><c>POST /v1/rerank</c> and <c>/v2/rerank</c>, the shape of Cohere, Jina and vLLM:
/// <c>{"query", "documents": [str | {"text"}], "top_n"?, "return_documents"?, "model"?}</c> →
/// <c>{"id", "model", "usage": {"prompt_tokens", "total_tokens"}, "results": [{"index", "relevance_score", "document"?: {"text"}}]}</c>,
/// best first; every document when <c>top_n</c> is absent or 0; the relevance is the score in (0, 1)
/// (<see cref="Rerank.RelevanceHead.Relevance"/>: the logit through a sigmoid unless the model already squashes it).
/// A <c>model</c> the client names is accepted and the served model answers (clients send their own defaults).</item>
/// <item><c>POST /rerank</c>, the shape of Hugging Face text-embeddings-inference: <c>{"query", "texts" | "documents",
/// "raw_scores"?, "return_text"?, "truncate"?}</c> → a bare array <c>[{"index", "score", "text"?}]</c>, one entry per
/// text, best first; relevances in (0, 1) unless <c>raw_scores</c>. Pairs longer than the model's maximum are truncated, as
/// TEI does with --auto-truncate; <c>"truncate": false</c> makes such a pair a 413.</item>
/// </list>
/// </summary>
internal static class RerankApi
{
    public static void Map(WebApplication app, ServiceOptions options)
    {
        var reads = new ApiKeyFilter(options, write: false);
        app.MapPost("/v1/rerank", CohereAsync).AddEndpointFilter(reads).WithName("rerank-v1");
        app.MapPost("/v2/rerank", CohereAsync).AddEndpointFilter(reads).WithName("rerank-v2");
        app.MapPost("/rerank", TeiAsync).AddEndpointFilter(reads).WithName("rerank-tei");
    }

    private static async Task<IResult> CohereAsync(HttpRequest request, ServiceState state, CancellationToken cancellationToken)
    {
        var model = state.RequireModel();
        using var body = await JsonBody.ReadAsync(request, cancellationToken);
        var query = Query(body, state.Options);
        var documents = body.RequiredTexts("documents", state.Options.MaxDocumentsPerRequest);
        var topN = body.OptionalInt("top_n") is { } n and > 0 ? Math.Min(n, documents.Count) : documents.Count;
        var returnDocuments = body.OptionalBool("return_documents") ?? true;
        var (order, logits, tokens) = await ScoreAsync(model, query, documents, truncate: true, cancellationToken);
        var results = order.Take(topN).Select(i => new CohereResult(i, model.Relevance(logits[i]), returnDocuments ? new CohereDocument(documents[i]) : null));
        return Results.Json(new CohereResponse(Guid.NewGuid().ToString(), model.Name, new Usage(tokens, tokens), results.ToArray()));
    }

    private static async Task<IResult> TeiAsync(HttpRequest request, ServiceState state, CancellationToken cancellationToken)
    {
        var model = state.RequireModel();
        using var body = await JsonBody.ReadAsync(request, cancellationToken);
        var query = Query(body, state.Options);
        var field = body.Root.TryGetProperty("texts", out _) ? "texts" : "documents";
        var texts = body.RequiredTexts(field, state.Options.MaxDocumentsPerRequest);
        var raw = body.OptionalBool("raw_scores") ?? false;
        var returnText = body.OptionalBool("return_text") ?? false;
        var (order, logits, _) = await ScoreAsync(model, query, texts, body.OptionalBool("truncate") ?? true, cancellationToken);
        return Results.Json(order.Select(i => new TeiResult(i, raw ? logits[i] : model.Relevance(logits[i]), returnText ? texts[i] : null)).ToArray());
    }

    private static string Query(JsonBody body, ServiceOptions options)
    {
        var query = body.RequiredString("query");
        if (string.IsNullOrWhiteSpace(query))
            throw ApiException.BadRequest("field 'query' is empty: there is nothing to rank against");
        if (query.Length > options.MaxQueryLength)
            throw ApiException.TooLarge($"field 'query' has {query.Length:N0} characters; at most {options.MaxQueryLength:N0} are accepted");
        return query;
    }

    /// <summary>Scores every text against the query; the indexes best first (ties by input order), the logits, and the tokens read.</summary>
    private static async Task<(int[] Order, float[] Logits, int Tokens)> ScoreAsync(ServedModel model, string query, IReadOnlyList<string> texts,
        bool truncate, CancellationToken cancellationToken)
    {
        var pairs = model.Encode(query, texts);
        if (!truncate && Array.FindIndex(pairs, p => p.Truncated) is var first and >= 0)
            throw ApiException.TooLarge($"texts[{first}] with the query is longer than the model's {model.Encoder.MaxLength} tokens and truncate is false");
        var logits = await model.ScoreAsync(pairs, cancellationToken);
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        return (order, logits, pairs.Sum(p => p.InputIds.Length));
    }

    private sealed record CohereResponse(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("usage")] Usage Usage,
        [property: JsonPropertyName("results")] CohereResult[] Results);

    private sealed record Usage(
        [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
        [property: JsonPropertyName("total_tokens")] int TotalTokens);

    private sealed record CohereResult(
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("relevance_score"), JsonConverter(typeof(JsonFloat))] double RelevanceScore,
        [property: JsonPropertyName("document"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CohereDocument? Document);

    private sealed record CohereDocument([property: JsonPropertyName("text")] string Text);

    private sealed record TeiResult(
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("score"), JsonConverter(typeof(JsonFloat))] double Score,
        [property: JsonPropertyName("text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);
}
