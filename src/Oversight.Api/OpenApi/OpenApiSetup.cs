using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oversight.Api.Http;

namespace Oversight.Api.OpenApi;

/// <summary>An example request body, attached to an endpoint and written into the OpenAPI document.</summary>
internal sealed record RequestExample(object Body);

internal static class OpenApiSetup
{
    private static readonly JsonSerializerOptions ExampleJson = new(ApiJson.Requests)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The document at /openapi/v1.json (bearer scheme, examples) and Swagger UI at /swagger, where <c>OpenApi:Enabled</c> (default: Development only).</summary>
    public static WebApplicationBuilder AddOversightOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Oversight API",
                    Version = "v1",
                    Description = "Event-sourced oversight of the Technical Intern Training Program. Writes accept Idempotency-Key and If-Match; "
                        + "they answer ETag (stream version) and X-Event-Position (global position of the last event). Errors are RFC 9457 problem+json.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["Bearer"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                        Description = "A token from `oversight token --role <inspector|officer|auditor|analyst|admin>`.",
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(RequestContract.TransformAsync);
            options.AddDocumentTransformer(RequestContract.TransformDocumentAsync);
            options.AddOperationTransformer(ResponseStatuses.TransformAsync);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var example = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault();
                if (example is not null && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var media))
                    media.Example = JsonSerializer.SerializeToNode(example.Body, example.Body.GetType(), ExampleJson);
                foreach (var header in HeadersOf(context))
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(header);
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Before authentication: Swagger UI's static files need no token (the API calls it makes do).</summary>
    public static WebApplication UseOversightOpenApi(this WebApplication app)
    {
        if (!app.Configuration.GetValue("OpenApi:Enabled", app.Environment.IsDevelopment())) return app;
        app.MapOpenApi().AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Oversight API v1");
            ui.RoutePrefix = "swagger";
        });
        return app;
    }

    private static IEnumerable<OpenApiParameter> HeadersOf(OpenApiOperationTransformerContext context)
    {
        if (!string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)) yield break;
        yield return new OpenApiParameter
        {
            Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Description = "Retries with the same key return the first response and write nothing (1–200 visible ASCII characters).",
            Example = JsonValue.Create("0c4b6f2e-5d0a-4a8e-9d55-2f1c7a1e9b10"),
        };
        yield return new OpenApiParameter
        {
            Name = "If-Match", In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Description = "The ETag last seen; 412 if the resource changed since.",
            Example = JsonValue.Create("\"3\""),
        };
    }
}
