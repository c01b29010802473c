using Oversight.Api.Writes;

namespace Oversight.Api.Http;

internal static class EndpointConventions
{
    /// <summary>OpenAPI metadata shared by every write: JSON body, write response, and the problems only writes answer (the rest: <see cref="OpenApi.ResponseStatuses"/>).</summary>
    public static RouteHandlerBuilder Write<TRequest>(this RouteHandlerBuilder endpoint, TRequest example, bool created = false) where TRequest : notnull =>
        endpoint
            .RequireRateLimiting(Security.Hardening.WritesPolicy)
            .WithMetadata(new OpenApi.RequestExample(example))
            .Accepts<TRequest>("application/json")
            .Produces<WriteResponse>(created ? StatusCodes.Status201Created : StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
