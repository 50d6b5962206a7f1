using System.Security.Cryptography;
using System.Text;

namespace SearchRerank.Server;

/// <summary>
/// The API key check: writes always need the key (and are refused outright when the service has none); reads need it
/// when <see cref="ServiceOptions.ProtectReads"/> is set. The key comes as <c>Authorization: Bearer KEY</c> (what
/// Cohere, Jina and TEI clients send) or <c>X-API-Key: KEY</c>, and is compared in constant time.
/// </summary>
internal sealed class ApiKeyFilter(ServiceOptions options, bool write) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.ApiKey is not { } key)
        {
            if (write)
                throw new ApiException(StatusCodes.Status403Forbidden, "writes are disabled: start serve with --api-key (or SEARCHRERANK_API_KEY) to allow them");
            return next(context);
        }
        if (!write && !options.ProtectReads)
            return next(context);
        var given = Presented(context.HttpContext.Request);
        if (given is null)
            throw new ApiException(StatusCodes.Status401Unauthorized, "this endpoint needs the API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
            throw new ApiException(StatusCodes.Status401Unauthorized, "the API key is not valid");
        return next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var header) && header.Count > 0)
            return header[0];
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
