namespace SearchRerank.Server;

/// <summary>
/// On a read replica, every write is refused before its body is read: 409 with
/// <c>{"error": "…", "primary": URL}</c>, so a client (or an operator reading the message) sends it to the primary.
/// Its index changes only by replication, so nothing of a write can be half-applied there. 409 and not a redirect: a
/// client that follows redirects would replay a bulk body without being told it went elsewhere.
/// </summary>
internal sealed class ReplicaWriteFilter(ServiceOptions options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.ReplicaOf is not { } primary)
            return next(context);
        var body = new Dictionary<string, string>
        {
            ["error"] = $"this service is a read replica of {primary.AbsoluteUri}; send writes to the primary",
            ["primary"] = primary.AbsoluteUri,
        };
        return ValueTask.FromResult<object?>(Results.Json(body, ErrorResponses.Json, statusCode: StatusCodes.Status409Conflict));
    }
}
