using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SearchRerank.Core;
using SearchRerank.Search.Index;

namespace SearchRerank.Server;

/// <summary>
/// Index writes, each needing the API key: <c>PUT /v1/{index}/doc/{docid}</c> adds or replaces one document
/// (<c>{"title"?, "text"}</c>), <c>DELETE /v1/{index}/doc/{docid}</c> deletes one, <c>POST /v1/{index}/bulk</c> imports
/// BEIR corpus lines (NDJSON: <c>{"_id", "title"?, "text"}</c>). Every line of a bulk body is checked before anything is
/// written, so a bad line (400, naming it) writes nothing. A write answers after its commit, so the next search sees
/// it; searches never see half a commit.
/// </summary>
internal static class DocumentApi
{
    public static void Map(WebApplication app, ServiceOptions options)
    {
        // A replica refuses first: its key (if any) is not the question, the address is.
        var replica = new ReplicaWriteFilter(options);
        var writes = new ApiKeyFilter(options, write: true);
        app.MapPut("/v1/{index}/doc/{docid}", PutAsync).AddEndpointFilter(replica).AddEndpointFilter(writes).WithName("put-doc");
        app.MapDelete("/v1/{index}/doc/{docid}", DeleteAsync).AddEndpointFilter(replica).AddEndpointFilter(writes).WithName("delete-doc");
        app.MapPost("/v1/{index}/bulk", BulkAsync).AddEndpointFilter(replica).AddEndpointFilter(writes).WithName("bulk");
    }

    private static async Task<IResult> PutAsync(string index, string docid, HttpRequest request, ServiceState state, CancellationToken cancellationToken)
    {
        var served = state.Index(index);
        using var body = await JsonBody.ReadAsync(request, cancellationToken);
        var document = new CorpusDocument(docid, body.OptionalString("title") ?? "", body.RequiredString("text"));
        var summary = await served.WriteAsync(writer => writer.Write(document), cancellationToken);
        return Results.Json(new WriteResponse("v1", index, docid, summary.Updated > 0 ? "updated" : "created"));
    }

    private static async Task<IResult> DeleteAsync(string index, string docid, ServiceState state, CancellationToken cancellationToken)
    {
        var served = state.Index(index);
        var deleted = await served.WriteAsync(writer => writer.Delete(docid), cancellationToken);
        return deleted ? Results.Json(new WriteResponse("v1", index, docid, "deleted")) : throw ApiException.NotFound($"no document '{docid}' in index '{index}'");
    }

    private static async Task<IResult> BulkAsync(string index, HttpRequest request, ServiceState state, CancellationToken cancellationToken)
    {
        var served = state.Index(index);
        var documents = await ReadLinesAsync(request, cancellationToken);
        var summary = await served.WriteAsync(writer => writer.Write(documents), cancellationToken);
        return Results.Json(new BulkResponse("v1", index, summary.Added, summary.Updated, summary.Duplicates, summary.Batches));
    }

    /// <summary>Every document of an NDJSON body, each line checked: a malformed one is a 400 naming its line.</summary>
    private static async Task<List<CorpusDocument>> ReadLinesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var documents = new List<CorpusDocument>();
        using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                throw ApiException.BadRequest($"line {number + 1}: invalid UTF-8");
            }
            if (line is null)
                break;
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            documents.Add(Parse(line, number));
        }
        if (documents.Count == 0)
            throw ApiException.BadRequest("the body holds no document: send one JSON object per line ({\"_id\", \"title\", \"text\"})");
        return documents;
    }

    private static CorpusDocument Parse(string line, int number)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"line {number}: expected a JSON object, got {root.ValueKind}");
            string Field(string name, bool required) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw ApiException.BadRequest($"line {number}: field '{name}' must be a string")
                : required ? throw ApiException.BadRequest($"line {number}: field '{name}' is required") : "";
            var id = Field("_id", true);
            if (id.Length == 0 || id.Any(char.IsWhiteSpace))
                throw ApiException.BadRequest($"line {number}: field '_id' must be non-empty and without whitespace");
            return new CorpusDocument(id, Field("title", false), Field("text", false));
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"line {number}: malformed JSON: {JsonErrors.Reason(ex)}");
        }
    }

    private sealed record WriteResponse(
        [property: JsonPropertyName("api")] string Api,
        [property: JsonPropertyName("index")] string Index,
        [property: JsonPropertyName("docid")] string DocId,
        [property: JsonPropertyName("result")] string Result);

    private sealed record BulkResponse(
        [property: JsonPropertyName("api")] string Api,
        [property: JsonPropertyName("index")] string Index,
        [property: JsonPropertyName("added")] long Added,
        [property: JsonPropertyName("updated")] long Updated,
        [property: JsonPropertyName("duplicates")] long Duplicates,
        [property: JsonPropertyName("commits")] int Commits);
}
