using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oversight.Api.OpenApi;

/// <summary>
/// Completes each operation's responses with the statuses every endpoint of its shape can answer, so the document lists
/// all of them: 400 when it reads a query or a body, 401/403 when it needs a token, 404 exactly when a path names a
/// resource, 503 with <c>Retry-After</c> when the database is away (or a read model is behind <c>minPosition</c>).
/// What only some endpoints answer (409, 412, 413, 415, 422 for writes) is declared where they are mapped.
/// </summary>
internal static class ResponseStatuses
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        var responses = operation.Responses;

        // A route value constrained to a GUID never reaches the handler malformed (it is a 404); a string one is validated (400).
        var readsInput = operation.RequestBody is not null || description.ParameterDescriptions.Any(p =>
            p.Source == BindingSource.Query || (p.Source == BindingSource.Path && p.Type == typeof(string)));
        if (readsInput) Ensure(responses, StatusCodes.Status400BadRequest, "The request is malformed: the problem's `errors` name each field at fault.", context);
        else responses.Remove("400");

        // The fallback policy asks every endpoint for a token unless it allows anonymous callers.
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            Ensure(responses, StatusCodes.Status401Unauthorized, "No valid bearer token.", context);
            Ensure(responses, StatusCodes.Status403Forbidden, "The caller's role may not do this.", context);
        }

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
            Ensure(responses, StatusCodes.Status404NotFound, "No such resource.", context);
        else responses.Remove("404");

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
            RetryAfter(Ensure(responses, StatusCodes.Status429TooManyRequests,
                "The caller (writes) or client address (anonymous endpoints) used its allowance for the minute: retry after the given seconds.", context));
        else responses.Remove("429");

        var unavailable = Ensure(responses, StatusCodes.Status503ServiceUnavailable,
            "The database is unreachable, a read model has not reached `minPosition` yet, or the request ran out of time: retry after the given seconds.", context);
        RetryAfter(unavailable);
        return Task.CompletedTask;
    }

    private static void RetryAfter(OpenApiResponse response)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
        };
    }

    private static OpenApiResponse Ensure(OpenApiResponses responses, int status, string description, OpenApiOperationTransformerContext context)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses.TryGetValue(key, out var existing) && existing is OpenApiResponse response)
        {
            response.Description = description;
            return response;
        }
        response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(status == 400 ? "HttpValidationProblemDetails" : "ProblemDetails", context.Document) },
            },
        };
        responses[key] = response;
        return response;
    }
}
