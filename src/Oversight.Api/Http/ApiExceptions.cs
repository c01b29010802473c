namespace Oversight.Api.Http;

/// <summary>Malformed input: 400 with the errors per field (RFC 9457 <c>errors</c> member).</summary>
internal sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>A problem with a fixed status: 404 unknown resource, 409 conflict, 412 precondition, 413 too large, 415 media type, 422 rule.</summary>
internal sealed class ApiProblemException(int status, string code, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? Field { get; } = field;

    public static ApiProblemException NotFound(string what, object id) =>
        new(StatusCodes.Status404NotFound, "not-found", "Not found", $"No {what} {id}.");

    public static ApiProblemException Conflict(string code, string detail, string? field = null) =>
        new(StatusCodes.Status409Conflict, code, "Conflict", detail, field);

    public static ApiProblemException PreconditionFailed(string detail) =>
        new(StatusCodes.Status412PreconditionFailed, "precondition-failed", "Precondition failed", detail, "If-Match");
}
