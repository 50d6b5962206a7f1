namespace SearchRerank.Server;

/// <summary>A request the service refuses, with the HTTP status to answer and a message that names the field or limit.</summary>
internal sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static ApiException TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, message);
}
