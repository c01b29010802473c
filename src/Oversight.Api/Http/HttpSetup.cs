namespace Oversight.Api.Http;

internal static class HttpSetup
{
    /// <summary>Problem details for every error, JSON with enums by name, our exception mapping.</summary>
    public static WebApplicationBuilder AddOversightHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (System.Diagnostics.Activity.Current?.TraceId is { } trace) context.ProblemDetails.Extensions["traceId"] = trace.ToString();
        });
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
        return builder;
    }
}
