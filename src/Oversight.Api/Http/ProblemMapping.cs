using Microsoft.AspNetCore.Diagnostics;
using Oversight.Domain.Common;

namespace Oversight.Api.Http;

/// <summary>
/// Turns what the pipeline throws into RFC 9457 problem details: 400 malformed input (with per-field
/// <c>errors</c>), 404, 409, 412, 413, 415, 422 for a rule of the Act refused (with its stable <c>code</c>),
/// and 503 with <c>Retry-After</c> when the database is away.
/// Anything else is a 500 and is logged; bad input must never end there.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        (int Status, string Title, string Detail, string Code, IReadOnlyDictionary<string, string[]>? Errors) problem = exception switch
        {
            RequestValidationException v => (400, "The request is not valid", "See errors for each field at fault.", "invalid-request", v.Errors),
            InvalidValue v => (400, "The request is not valid", v.Message, "invalid-request", Errors(v.Field, v.Message)),
            RuleViolation { Code: "not-found" } r => (404, "Not found", r.Message, r.Code, null),
            RuleViolation r => (422, "Refused by the rules", r.Message, r.Code, r.Field is null ? null : Errors(r.Field, r.Message)),
            ApiProblemException p => (p.Status, p.Title, p.Message, p.Code, p.Field is null ? null : Errors(p.Field, p.Message)),
            BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message, "bad-request", null),
            _ when DatabaseFaults.IsUnavailable(exception) => (503, "Database unavailable",
                "The database cannot be reached just now; nothing was recorded unless a retry with the same Idempotency-Key says so. Try again.", "database-unavailable", null),
            _ => (0, "", "", "", null),
        };
        var (status, title, detail, code, errors) = problem;
        if (status == 0) return false;

        if (status == StatusCodes.Status503ServiceUnavailable) DatabaseFaults.SetRetryAfter(http.Response);
        return await WriteAsync(problems, http, status, title, detail, code, errors, exception);
    }

    /// <summary>Writes a problem with our stable <c>code</c> (and per-field <c>errors</c>); also for answers no exception causes (429, timeouts).</summary>
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext http, int status, string title, string detail, string code,
        IReadOnlyDictionary<string, string[]>? errors = null, Exception? exception = null)
    {
        http.Response.StatusCode = status;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        details.Extensions["code"] = code;
        if (errors is not null) details.Extensions["errors"] = errors;
        return problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    private static Dictionary<string, string[]> Errors(string field, string message) => new(StringComparer.Ordinal) { [field] = [message] };
}
