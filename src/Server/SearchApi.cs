using System.Globalization;
using System.Text.Json.Serialization;
using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Search;

namespace SearchRerank.Server;

/// <summary>
/// Search in the shape of Anserini's and Pyserini's REST API v1 (sources in docs/serving.md):
/// <c>GET /v1/{index}/search?query=…&amp;hits=10&amp;parse=true</c> →
/// <c>{"api": "v1", "index", "query": {"text"}, "candidates": [{"docid", "score", "rank", "doc"}]}</c>, where
/// <c>doc</c> is the stored document as a JSON object (<c>_id</c>, <c>title</c>, <c>text</c>) when <c>parse</c> is true
/// (the default) and its text otherwise; <c>GET /v1/{index}/doc/{docid}</c> → <c>{"api", "index", "docid", "doc"}</c>.
/// This project's extensions are extra query parameters — <c>rerank</c> (the cross-encoder re-scores the first
/// stage's top <c>depth</c>), <c>alpha</c> (fusion weight; by default the model's own on its training collection and
/// the safe off-domain α elsewhere, <see cref="ServedIndex.Fusion"/>), <c>explain</c>,
/// <c>highlight</c> (marked passages, <see cref="Snippets"/>), <c>qid</c> (a judged query: each hit's grade) — and extra
/// candidate fields (<c>first_stage_score</c>, <c>cross_encoder_score</c>, <c>explanation</c>, <c>highlight</c>,
/// <c>relevance</c>), never a change to the base shape. <c>GET /v1/indexes</c> lists what the service serves.
/// </summary>
internal static class SearchApi
{
    public static void Map(WebApplication app, ServiceOptions options)
    {
        var reads = new ApiKeyFilter(options, write: false);
        app.MapGet("/v1/{index}/search", SearchAsync).AddEndpointFilter(reads).WithName("search");
        app.MapGet("/v1/{index}/doc/{docid}", Document).AddEndpointFilter(reads).WithName("doc");
        app.MapGet("/v1/indexes", Catalog).AddEndpointFilter(reads).WithName("indexes");
    }

    /// <summary>What the service serves: index names, the model, and the judged queries the search page offers.</summary>
    private static IResult Catalog(ServiceState state) => Results.Json(new CatalogResponse(
        [.. state.Indexes.Keys], state.Model?.Name,
        state.Judgments?.Queries.Select(q => new JudgedQuery(q.Id, q.Text)).ToArray() ?? []));

    private static async Task<IResult> SearchAsync(string index, HttpRequest request, ServiceState state, CancellationToken cancellationToken)
    {
        var served = state.Index(index);
        var options = state.Options;
        var parameters = new QueryParameters(request.Query);
        var query = parameters.Text("query") ?? throw ApiException.BadRequest("parameter 'query' is required");
        if (query.Length > options.MaxQueryLength)
            throw ApiException.TooLarge($"parameter 'query' has {query.Length:N0} characters; at most {options.MaxQueryLength:N0} are accepted");
        var hits = parameters.Int("hits", 10, 1, options.MaxHits);
        var parse = parameters.Bool("parse", true);
        var rerank = parameters.Bool("rerank", false);
        var explain = parameters.Bool("explain", false);
        var depth = parameters.Int("depth", Math.Max(options.RerankDepth, hits), hits, options.MaxHits);
        var alpha = parameters.Double("alpha", 0, 1);
        var highlight = parameters.Bool("highlight", false);
        var judgedQuery = parameters.Text("qid");

        var firstStage = served.Searcher.Search(query, rerank ? depth : hits);
        Candidate[] candidates;
        if (!rerank)
        {
            candidates = firstStage.Select((hit, i) => new Candidate(hit, hit.Score, i, null, null)).ToArray();
        }
        else
        {
            var model = state.RequireModel();
            var texts = firstStage.Select(hit => CorpusDocument.TitleAndText(hit.Title, hit.Text)).ToArray();
            var logits = await model.ScoreAsync(model.Encode(query, texts), cancellationToken);
            var fusion = alpha is { } a ? new ScoreFusion(a) : served.Fusion;
            var first = firstStage.Select(hit => (double)hit.Score).ToArray();
            var final = fusion?.Combine(first, logits.Select(l => (double)l).ToArray()) ?? logits.Select(l => (double)l).ToArray();
            candidates = firstStage.Select((hit, i) => new Candidate(hit, final[i], i, logits[i], fusion))
                .OrderByDescending(c => c.Score).ThenBy(c => c.FirstStageRank).ToArray();
        }

        var results = candidates.Take(hits).Select((c, rank) => new CandidateJson(
            c.Hit.DocId, c.Score, rank + 1, parse ? StoredDocument(c.Hit.DocId, c.Hit.Title, c.Hit.Text) : CorpusDocument.TitleAndText(c.Hit.Title, c.Hit.Text),
            rerank ? c.Hit.Score : null, c.Logit,
            explain ? Explain(served.Searcher, query, c) : null,
            highlight ? Snippets.Of(served.Searcher, query, c.Hit.Text) : null,
            judgedQuery is null ? null : state.Judgments?.Grade(judgedQuery, c.Hit.DocId))).ToArray();
        return Results.Json(new SearchResponse("v1", index, new QueryText(query), results));
    }

    private static IResult Document(string index, string docid, ServiceState state)
    {
        var served = state.Index(index);
        var document = served.Find(docid) ?? throw ApiException.NotFound($"no document '{docid}' in index '{index}'");
        return Results.Json(new DocumentResponse("v1", index, docid, StoredDocument(document.Id, document.Title, document.Text)));
    }

    internal static Dictionary<string, string> StoredDocument(string id, string title, string text) =>
        new() { ["_id"] = id, ["title"] = title, ["text"] = text };

    /// <summary>How the score was made: Lucene's first-stage explanation and, after re-ranking, the fusion's arithmetic.</summary>
    private static string Explain(Searcher searcher, string query, Candidate candidate)
    {
        var lucene = searcher.Explain(query, candidate.Hit.DocId)?.ToString().TrimEnd() ?? "";
        if (candidate.Logit is not { } logit)
            return lucene;
        var how = candidate.Fusion is { } fusion
            ? string.Create(CultureInfo.InvariantCulture, $"{candidate.Score:G6} = z-score fusion, α {fusion.Alpha:0.###} on the first stage, of the first-stage score {candidate.Hit.Score:G6} and the cross-encoder logit {logit:G6}")
            : string.Create(CultureInfo.InvariantCulture, $"{candidate.Score:G6} = the cross-encoder logit (no fusion)");
        return $"{how}\nfirst stage (rank {candidate.FirstStageRank + 1}):\n{lucene}";
    }

    private sealed record Candidate(Hit Hit, double Score, int FirstStageRank, float? Logit, ScoreFusion? Fusion);

    private sealed record SearchResponse(
        [property: JsonPropertyName("api")] string Api,
        [property: JsonPropertyName("index")] string Index,
        [property: JsonPropertyName("query")] QueryText Query,
        [property: JsonPropertyName("candidates")] CandidateJson[] Candidates);

    private sealed record QueryText([property: JsonPropertyName("text")] string Text);

    private sealed record CandidateJson(
        [property: JsonPropertyName("docid")] string DocId,
        [property: JsonPropertyName("score"), JsonConverter(typeof(JsonFloat))] double Score,
        [property: JsonPropertyName("rank")] int Rank,
        [property: JsonPropertyName("doc")] object Doc,
        [property: JsonPropertyName("first_stage_score"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? FirstStageScore,
        [property: JsonPropertyName("cross_encoder_score"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? CrossEncoderScore,
        [property: JsonPropertyName("explanation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Explanation,
        [property: JsonPropertyName("highlight"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Highlight,
        [property: JsonPropertyName("relevance"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Relevance);

    private sealed record CatalogResponse(
        [property: JsonPropertyName("indexes")] string[] Indexes,
        [property: JsonPropertyName("model")] string? Model,
        [property: JsonPropertyName("judged_queries")] JudgedQuery[] JudgedQueries);

    private sealed record JudgedQuery([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("text")] string Text);

    private sealed record DocumentResponse(
        [property: JsonPropertyName("api")] string Api,
        [property: JsonPropertyName("index")] string Index,
        [property: JsonPropertyName("docid")] string DocId,
        [property: JsonPropertyName("doc")] Dictionary<string, string> Doc);
}
