using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Oversight.Api.Infrastructure;

internal static class TelemetryExtensions
{
    /// <summary>Our own activity sources and meters; ASP.NET Core, HttpClient, Npgsql and the runtime come from their instrumentation packages.</summary>
    public static readonly string[] Sources = ["Marten", "Wolverine", ReadModels.FollowUps.FollowUpServices.ActivitySourceName, ApiTelemetry.Name];
    public static readonly string[] Meters = ["Microsoft.AspNetCore.Server.Kestrel", "Marten", "Wolverine*", ApiTelemetry.Name];

    /// <summary>
    /// OpenTelemetry through OpenTelemetry.Extensions.Hosting: the providers start and stop with the host.
    /// OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set; the exporter reads the standard OTEL_* variables
    /// (service name, resource attributes, protocol).
    /// </summary>
    public static WebApplicationBuilder AddOversightTelemetry(this WebApplicationBuilder builder)
    {
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "oversight-api"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource(Sources);
                // Spans nobody exports are not worth creating (a dozen per write: server, command, every statement, handlers).
                // Npgsql's source is not even listened to then: with a listener Npgsql joins every batch's SQL into one text for
                // the span before the sampler drops it (4.5–6 % of a write's allocation, ADR 12).
                if (exporting) tracing.AddNpgsql();
                else tracing.SetSampler(new AlwaysOffSampler());
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters));
        if (exporting) otel.UseOtlpExporter();
        // Log lines carry the trace and span they were written in (JSON console: Logging:Console:FormatterName).
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        return builder;
    }
}
