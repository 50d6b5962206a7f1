using System.Text.Encodings.Web;
using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Search;

namespace SearchRerank.Server;

/// <summary>
/// Every failure as the APIs' clients expect it: a JSON body <c>{"error": "…"}</c> (Anserini's REST API, Cohere and
/// TEI all use an <c>error</c> field) with the status that says whose fault it was — 400 bad field, 401/403 key, 404,
/// 405, 409 another writer, 413 too large, 429 queue full (with Retry-After), 503 no model — and never a stack trace.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>Messages quote queries and ids: keep their quotes and accents readable instead of \u escapes.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Use(WebApplication app)
    {
        // A refusal is the client's business, not the log's: only failures of the service itself (5xx) are logged.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception error) when (!context.Response.HasStarted)
            {
                var (status, message) = Classify(error, context.RequestAborted);
                if (status == StatusCodes.Status429TooManyRequests)
                    context.Response.Headers.RetryAfter = "1";
                if (status >= 500)
                    app.Logger.LogError("{Method} {Path} failed: {Error}", context.Request.Method, context.Request.Path, error.ToString());
                await Write(context, status, message);
            }
        });
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            var message = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such endpoint: {context.Request.Method} {context.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"method {context.Request.Method} is not allowed on {context.Request.Path}",
                StatusCodes.Status413PayloadTooLarge => "the request body is larger than the service accepts",
                var code => $"HTTP {code}",
            };
            await Write(context, context.Response.StatusCode, message);
        });
    }

    public static Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }, Json));
    }

    private static (int Status, string Message) Classify(Exception error, CancellationToken aborted) => error switch
    {
        ApiException api => (api.Status, api.Message),
        QueueFullException full => (StatusCodes.Status429TooManyRequests, full.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        IndexLockedException locked => (StatusCodes.Status409Conflict, locked.Message),
        QueryException query => (StatusCodes.Status400BadRequest, query.Message),
        DataFormatException data => (StatusCodes.Status400BadRequest, data.Message),
        ArgumentException argument => (StatusCodes.Status400BadRequest, argument.Message),
        OperationCanceledException when aborted.IsCancellationRequested => (499, "the client closed the request"),
        _ => (StatusCodes.Status500InternalServerError, $"internal error: {error.Message.Split('\n')[0]}"),
    };
}
